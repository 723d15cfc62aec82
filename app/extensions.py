"""Extensions, created unbound and attached to the app in ``create_app``."""

from typing import TYPE_CHECKING, Any, cast

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import CursorResult, MetaData, Result
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# What a function that is handed a session annotates it as: a plain ``Session`` (tests, the
# worker, scripts) or the request's ``db.session`` (a ``scoped_session``, which passes every
# call on to the session of the current app context). One habit, project-wide.
DbSession = Session | scoped_session[FlaskSession]

# The models' base: ``class Service(Model)``. At run time it is ``db.Model``, an attribute,
# which mypy takes for no type at all; mypy is shown ``Base``, whose mapped attributes are
# what the code uses (not Flask-SQLAlchemy's legacy ``Model.query``: a column may be called
# ``query``).
if TYPE_CHECKING:

    class Model(Base):
        __abstract__ = True

else:
    Model = db.Model
MAX_ID = 2**31 - 1  # the largest INTEGER key (ids, versions) PostgreSQL stores
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE run by ``Session.execute`` touched."""
    # cast: such a statement's result is a CursorResult, but the stubs type every one Result
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount
