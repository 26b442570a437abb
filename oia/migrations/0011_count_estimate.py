"""A function that returns PostgreSQL's planner estimate of a query's rows, so
an API list's count (exact up to a limit, else estimated) is one statement
whatever the list's size (oia.api.pagination)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION oia_count_estimate(query text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS oia_count_estimate(text);"


class Migration(migrations.Migration):
    dependencies = [("oia", "0010_api_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP)]
