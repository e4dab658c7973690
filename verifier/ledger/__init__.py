"""claims.yaml, the reviewable ledger, and the state kept beside it.

claim_id(article, text) -> "c-" + 6 hex digits        deterministic id for a new claim
Ledger.load(path) / Ledger.new(path)                   validated ledger (errors.LedgerError)
ledger.settings / .articles / .claims                  typed values for the pipeline
ledger.claim(id) -> Claim | None                       one claim by id
ledger.merge(extraction) -> MergeSummary               keeps ids, human fields, comments
ledger.accept(id, note, accepted_for=...) -> Claim     status: accepted, pinned
ledger.save()                                          atomic; no write when nothing changed
config.layered_settings(settings, environ=, flags=)    VERIFIER_* variables, then flags
config.unknown_environment_variables(environ)          VERIFIER_* typos, for a warning
acceptance.accept_with_pin(ledger, id, note, results)  `verifier accept`, pinned
acceptance.is_accepted(finding)                        stale acceptances bring findings back
reuse.ResultCache.for_ledger(path).wrap(assess)        reuse unchanged matcher results
"""

from verifier.ledger.ids import claim_id
from verifier.ledger.store import Ledger, MergeSummary

__all__ = ["Ledger", "MergeSummary", "claim_id"]
