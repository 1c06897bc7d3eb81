"""The database session store (SESSION_ENGINE without REDIS_URL) reading its row with a
statement compiled once (core.prepared): every page request reads the session, and Django's
`objects.get(session_key=…, expire_date__gt=now)` spent more time compiling than the
database spent answering. The expiry is compared here, as the statement binds only the key."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from zwfw.core.prepared import PreparedRead

_SESSION = PreparedRead(Session, lambda key: Session.objects.filter(session_key=key)[:1])


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _SESSION(key=self.session_key) if self.session_key else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
