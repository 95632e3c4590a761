import { Migration } from '@mikro-orm/migrations';

/** 警调对接 and 访调对接 (issue #22): referrals to people's mediation as kinds of handoff, about a police incident or a petition. */
export class Migration20261204234152 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "workflow"."handoff_kind" add value if not exists 'POLICE_MEDIATION_REFERRAL';`);
    this.addSql(`alter type "workflow"."handoff_kind" add value if not exists 'PETITION_MEDIATION_REFERRAL';`);
    this.addSql(`alter type "workflow"."handoff_subject_type" add value if not exists 'Incident';`);
    this.addSql(`alter type "workflow"."handoff_subject_type" add value if not exists 'PetitionCase';`);
  }
}
