import { Migration } from '@mikro-orm/migrations';

/** Appeals (二审) at the intermediate court: 刑终 and 民终 cases, the first instance each hears, who appealed and how it ended. */
export class Migration20261204231853 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "court"."court_case_kind" add value if not exists 'CRIMINAL_APPEAL';`);
    this.addSql(`alter type "court"."court_case_kind" add value if not exists 'CIVIL_APPEAL';`);
    this.addSql(`create type "court"."appellant" as enum ('DEFENDANT', 'PROSECUTION', 'PARTY');`);
    this.addSql(`create type "court"."appeal_outcome" as enum ('UPHELD', 'AMENDED', 'REMANDED', 'WITHDRAWN');`);
    this.addSql(
      `alter table "court"."court_case" add column "appeal_of_case_no" varchar(255) null, add column "appellant" "court"."appellant" null, add column "appeal_outcome" "court"."appeal_outcome" null;`,
    );
    this.addSql(`create index "court_case_appeal_of_case_no_index" on "court"."court_case" ("appeal_of_case_no");`);
  }
}
