// What the deprecated licenses.drift means in drift.license's terms, declared once: the schema names it when the two
// disagree, and the planner's rules read it when drift.license is unset.

/**
 * drift.license as the deprecated licenses.drift says it: report → report, apply → revert; unset → report (the
 * default). The schema refuses a file where both are set and disagree.
 */
export function licenseDriftPolicy(licensesDrift: 'report' | 'apply' | undefined): 'report' | 'revert' {
  return licensesDrift === 'apply' ? 'revert' : 'report';
}
