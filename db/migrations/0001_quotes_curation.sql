ALTER TABLE "surveys" ADD COLUMN "customer_name" text;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "comment_md5" text;--> statement-breakpoint
CREATE INDEX "surveys_quotable_idx" ON "surveys" USING btree ("responded_at") WHERE may_quote and comment is not null;