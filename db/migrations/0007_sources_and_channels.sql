CREATE TABLE "source_versions" (
	"source_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_versions_source_id_version_pk" PRIMARY KEY("source_id","version")
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interactions" DROP CONSTRAINT "interactions_channel_check";--> statement-breakpoint
ALTER TABLE "source_versions" ADD CONSTRAINT "source_versions_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "source_versions_at_idx" ON "source_versions" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "sources_name_key" ON "sources" USING btree (lower("name"));--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_channel_check" CHECK (channel in ('phone', 'chat', 'email', 'social', 'in_person', 'other', 'web', 'app', 'sms', 'messaging', 'video', 'self_service'));