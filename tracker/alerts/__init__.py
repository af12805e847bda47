"""Alerts: who is told of which change events, what the message says, and getting it there at least once.

`messages` (what an alert says, as webhook JSON, text and e-mail), `notify` (the channels: signed webhook, SMTP
e-mail, Apprise, and the retry arithmetic), `channels` (a subscription's channel, built per delivery with its target
unsealed), `outbox` (durable events to deliveries, sent when due), `subscriptions` (who gets what, validated whole),
and the public /subscribe form's confirm-and-unsubscribe flow: `public_subscribe`, its signed links
(`subscription_links`) and what is sent before a subscription is active (`subscribe_messages`). Rows are the store's
(`tracker.store.alerts`, `deliveries`, `public_subscriptions`); secrets at rest are `tracker.secretbox`'s.
"""
