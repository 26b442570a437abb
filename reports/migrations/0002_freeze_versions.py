"""The database itself refuses to change a saved version's content, or to
delete a published one: not even a queryset ``update()`` can alter a report
the council has read."""

from django.db import migrations

FREEZE = """
CREATE FUNCTION reports_version_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'A published report version cannot be deleted.';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.figures IS DISTINCT FROM OLD.figures OR NEW.html IS DISTINCT FROM OLD.html
     OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.xlsx IS DISTINCT FROM OLD.xlsx
     OR NEW.checksum IS DISTINCT FROM OLD.checksum OR NEW.year IS DISTINCT FROM OLD.year
     OR NEW.number IS DISTINCT FROM OLD.number OR NEW.data_cut_off IS DISTINCT FROM OLD.data_cut_off
     OR NEW.request_id IS DISTINCT FROM OLD.request_id THEN
    RAISE EXCEPTION 'A report version cannot be changed once it is saved.';
  END IF;
  IF OLD.status = 'superseded' AND NEW.status <> 'superseded' THEN
    RAISE EXCEPTION 'A superseded report version cannot be published again.';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_version_frozen BEFORE UPDATE OR DELETE ON reports_reportversion
FOR EACH ROW EXECUTE FUNCTION reports_version_frozen();
"""

UNFREEZE = """
DROP TRIGGER IF EXISTS reports_version_frozen ON reports_reportversion;
DROP FUNCTION IF EXISTS reports_version_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunSQL(FREEZE, UNFREEZE)]
