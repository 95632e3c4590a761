import { Migration } from '@mikro-orm/migrations';

/** The court's commission of a pre-sentence assessment (调查评估, 社区矫正法 art. 18) as a kind of handoff. */
export class Migration20261204203148 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "workflow"."handoff_kind" add value if not exists 'PRE_SENTENCE_ASSESSMENT';`);
  }
}
