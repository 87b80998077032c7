ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_role_check";--> statement-breakpoint
ALTER TABLE "access_tokens" ADD COLUMN "signing_secret" text;--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_role_check" CHECK (role in ('admin', 'leader', 'manager', 'display', 'ingest'));