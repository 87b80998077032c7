ALTER TABLE "surveys" ADD COLUMN IF NOT EXISTS "quote_text" text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "surveys_quote_text_todo_idx" ON "surveys" USING btree ("id") WHERE may_quote and comment is not null and quote_text is null;--> statement-breakpoint
-- A changed comment or customer name makes the stored quote text stale: cleared whatever writes
-- the row (ingest, import, demo), so no searchable text outlives the words it was made from.
-- Fires only when one of the two really changes (the ingest rewrites only rows that differ).
CREATE OR REPLACE FUNCTION "surveys_quote_text_stale"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.quote_text := NULL;
  RETURN NEW;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "surveys_quote_text_stale" ON "surveys";--> statement-breakpoint
CREATE TRIGGER "surveys_quote_text_stale" BEFORE UPDATE OF "comment", "customer_name" ON "surveys"
  FOR EACH ROW WHEN (OLD.comment IS DISTINCT FROM NEW.comment OR OLD.customer_name IS DISTINCT FROM NEW.customer_name)
  EXECUTE FUNCTION "surveys_quote_text_stale"();
