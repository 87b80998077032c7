CREATE TABLE "customer_segments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_customers_segment" (
	"day" date NOT NULL,
	"segment_id" bigint NOT NULL,
	"starts" integer DEFAULT 0 NOT NULL,
	"churns" integer DEFAULT 0 NOT NULL,
	"starts_valued" integer DEFAULT 0 NOT NULL,
	"starts_value" numeric(18, 2) DEFAULT 0 NOT NULL,
	"churns_valued" integer DEFAULT 0 NOT NULL,
	"churns_value" numeric(18, 2) DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_customers_segment_day_segment_id_pk" PRIMARY KEY("day","segment_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_interactions_segment" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"segment_id" bigint NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"wait_n" integer DEFAULT 0 NOT NULL,
	"wait_sum" bigint DEFAULT 0 NOT NULL,
	"wait_sq" double precision DEFAULT 0 NOT NULL,
	"handle_n" integer DEFAULT 0 NOT NULL,
	"handle_sum" bigint DEFAULT 0 NOT NULL,
	"handle_sq" double precision DEFAULT 0 NOT NULL,
	"resolved_n" integer DEFAULT 0 NOT NULL,
	"resolved_yes" integer DEFAULT 0 NOT NULL,
	"wait_hist_bucket" smallint[] NOT NULL,
	"wait_hist_count" integer[] NOT NULL,
	CONSTRAINT "rollup_interactions_segment_day_team_id_channel_segment_id_pk" PRIMARY KEY("day","team_id","channel","segment_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_referrals_segment" (
	"day" date NOT NULL,
	"segment_id" bigint NOT NULL,
	"referrals" integer DEFAULT 0 NOT NULL,
	"converted" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_referrals_segment_day_segment_id_pk" PRIMARY KEY("day","segment_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_surveys_segment" (
	"day" date NOT NULL,
	"team_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"wait_bucket" smallint NOT NULL,
	"segment_id" bigint NOT NULL,
	"surveys" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"csat_n" integer DEFAULT 0 NOT NULL,
	"csat_top2" integer DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_sq" double precision DEFAULT 0 NOT NULL,
	"nps_n" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"effort_n" integer DEFAULT 0 NOT NULL,
	"effort_sum" bigint DEFAULT 0 NOT NULL,
	"effort_sq" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_surveys_segment_day_team_id_channel_wait_bucket_segment_id_pk" PRIMARY KEY("day","team_id","channel","wait_bucket","segment_id")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "segment_id" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_segments_key_key" ON "customer_segments" USING btree ("key");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_segment_id_customer_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."customer_segments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Customers imported before segments were normalised: one entry per case-folded spelling (the
-- earliest customer's spelling kept for display, as the ingest keeps the first one), each customer linked to it.
INSERT INTO "customer_segments" ("key", "label")
SELECT DISTINCT ON (lower("segment")) lower("segment"), "segment" FROM "customers" WHERE "segment" IS NOT NULL ORDER BY lower("segment"), "id";--> statement-breakpoint
UPDATE "customers" SET "segment_id" = s."id" FROM "customer_segments" s WHERE s."key" = lower("customers"."segment");
