"""Where the machine's real servers listen (see tests/integration/conftest.py)."""

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
