"""Reaching an initiative: a message relayed by e-mail to a published submission's contact,
neither address shown on any page. Visitors without a confirmed account confirm their address
first (the message is held until then); nothing is kept once the mail is delivered."""
