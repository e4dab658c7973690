"""claims.yaml, the reviewable ledger: load and validate, merge extractions, write back.

claim_id(article, text) -> "c-" + 6 hex digits      deterministic id for a new claim
Ledger.load(path) / Ledger.new(path)                 validated ledger (errors.LedgerError)
ledger.settings / .articles / .claims                typed values for the pipeline
ledger.merge(extraction) -> MergeSummary             keeps ids, human fields, comments
ledger.save()                                        atomic; no write when nothing changed
"""

from verifier.ledger.files import write_atomically
from verifier.ledger.ids import claim_id
from verifier.ledger.store import Ledger, MergeSummary

__all__ = ["Ledger", "MergeSummary", "claim_id", "write_atomically"]
