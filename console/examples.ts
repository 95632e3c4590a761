/**
 * The console's ready-made operations, from docs/queries.md, with variables that hit interesting
 * records of the demo city. Plain data: the page bundles it; test/console.test.ts runs every one
 * through the gateway and test/consoleExamples.test.ts checks that each id still names a record of
 * the shape its text promises, so a change of the graph or the demo city cannot leave a broken
 * example behind.
 */
export interface ConsoleExample {
  /** The operation name (GraphiQL names the tab after it). */
  name: string;
  title: string;
  /** What to try: which agencies to compare, which purpose to state. */
  hint: string;
  /** The agency the example is written for; the console does not switch to it by itself. */
  agency: string;
  query: string;
  variables: Record<string, unknown>;
}

export const CONSOLE_EXAMPLES: ConsoleExample[] = [
  {
    name: 'PersonView',
    title: 'Person view: one resident across all five departments',
    hint: 'Run as police (ID number in full), then as a grid worker of another grid (masked) and as justice (criminal records denied).',
    agency: 'police',
    query: `# A person across the departments: each agency gets its own part of the record.
# Masked values (211402********3196) and denied fields (null + FORBIDDEN_FIELD) follow the policy.
query PersonView($idNumber: String!) {
  personByIdNumber(idNumber: $idNumber) {
    id name gender birthDate idNumber phone address householdStatus rentalHousing
    grid { code name }
    policeRecords { role policeCase { caseNo charge } }   # police
    incidents { id kind reportedAt }                      # police
    prosecutions { caseNo decision }                      # procuratorate
    courtCases { caseNo kind }                            # court
    mediations { id outcome }                             # justice
    communityCorrection { id status }                     # justice
    legalAid { id status }                                # justice
  }
}
`,
    variables: { idNumber: '211402197403283196' },
  },
  {
    name: 'CaseJourney',
    title: 'Case journey: police → procuratorate → court → community correction',
    hint: 'Run as police, procuratorate or court; a sealed juvenile case (A211421202500223) needs a purpose.',
    agency: 'police',
    query: `# A criminal case through four departments, one key after the other.
query CaseJourney($caseNo: String!) {
  policeCase(caseNo: $caseNo) {                     # police
    caseNo charge stage
    prosecution {                                   # procuratorate
      caseNo decision
      arrestReview { decision }
      courtCase {                                   # court
        caseNo
        judgment { verdict sentenceMonths probation }
        communityCorrection {                       # justice
          id status
          person { id name }                        # grid
        }
      }
    }
  }
}
`,
    variables: { caseNo: 'A211402202500110' },
  },
  {
    name: 'DisputeJourney',
    title: "Dispute journey: grid event → people's mediation → court",
    hint: 'Run as justice (连山区); the court may not enter by gridEvent.',
    agency: 'justice',
    query: `# A dispute reported by a grid worker, mediated, then confirmed by or taken to court.
query DisputeJourney($id: ID!) {
  gridEvent(id: $id) {                     # grid
    id kind title
    mediation {                            # justice
      id outcome agreement
      judicialConfirmation { caseNo kind } # court: 民特, when an agreement was confirmed
      lawsuit { caseNo kind }              # court: 民初, when mediation failed and a party sued
    }
  }
}
`,
    variables: { id: 'GE2026069239' },
  },
  {
    name: 'MediationReferral',
    title: "Mediation referral: a 110 call the police sent to people's mediation (警调对接)",
    hint: 'Run as justice (连山区): the call in full; then as court: the source, not the call. A 访调对接 case shows its petition instead.',
    agency: 'justice',
    query: `# Where a people's mediation came from: a grid event, a 110 call (警调对接) or a petition (访调对接).
query MediationReferral($id: ID!) {
  mediationCase(id: $id) {                 # justice
    id source outcome agreement startedOn
    point { name }
    parties { id name }                    # grid
    incident { id kind summary reportedAt } # police: the call it came from
    petition { xfjbh xfrq nrzy }           # petition: for a 访调对接 case
  }
}
`,
    variables: { id: 'MC2025005367' },
  },
  {
    name: 'DistrictStatistics',
    title: "District statistics: every department's figures for one district",
    hint: 'Run as analyst (aggregates only: small counts withheld, named in suppressedFields), then as police: exact figures, no person in them. CSV downloads them.',
    agency: 'analyst',
    query: `# Each department adds its own figures to District; analysts see aggregates only, with small
# counts withheld (null) and named in suppressedFields.
query DistrictStatistics($code: String!, $from: Date, $to: Date) {
  district(code: $code) {
    code name level
    gridStatistics(from: $from, to: $to) { eventsReported disputes hazards gridWorkersActive residents disputesPer10000Residents suppressedFields }
    policeStatistics(from: $from, to: $to) { incidents casesFiled casesTransferred incidentsPer10000Residents casesFiledPer10000Residents suppressedFields }
    procuratorateStatistics(from: $from, to: $to) { arrestsApproved arrestsNotApproved prosecutions nonProsecutions pending suppressedFields }
    courtStatistics(from: $from, to: $to) { casesFiled casesConcluded convictions mediatedSettlements judicialConfirmations suppressedFields }
    justiceStatistics(from: $from, to: $to) { mediationCases mediationsSucceeded successRate mediationsClosedOnTime onTimeClosureRate peopleUnderCorrection legalAidCases suppressedFields }
  }
}
`,
    variables: { code: '211402', from: '2025-01-01', to: '2025-12-31' },
  },
];
