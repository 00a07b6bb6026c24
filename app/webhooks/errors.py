"""Problems of webhook subscriptions (事件订阅)."""

from __future__ import annotations

from app.core.errors import Conflict, UnprocessableEntity


class PersonalDataRequiresHttps(UnprocessableEntity):
    """Full identity travels only over TLS (PIPL art. 51; 等保 2.0 传输保密性)."""

    code = "personal_data_requires_https"


class SubscriptionManaged(Conflict):
    """The credit platform's subscription follows the settings, not the API."""

    code = "subscription_managed"


class SubscriptionInactive(Conflict):
    code = "subscription_inactive"
