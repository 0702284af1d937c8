"""The client an adviser is working on, found through the one caseload-scoping rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException

from app.accounts.dependencies import AdviserContext, CurrentAdviser
from app.core.db import SessionDep
from app.core.ids import RecordId
from app.people import repository
from app.people.models import ClientProfile, User


@dataclass(frozen=True)
class CaseloadClient:
    profile: ClientProfile
    user: User
    adviser: AdviserContext

    @property
    def id(self) -> int:
        assert self.profile.id is not None
        return self.profile.id


def caseload_client(
    client_id: RecordId, adviser: CurrentAdviser, session: SessionDep
) -> CaseloadClient:
    """A client on this adviser's caseload; anyone else's answers 404, as if it did not exist."""
    assert adviser.adviser.id is not None
    found = repository.client_in_caseload(
        session=session, adviser_id=adviser.adviser.id, client_id=client_id
    )
    if found is None:
        raise HTTPException(status_code=404)
    return CaseloadClient(profile=found[0], user=found[1], adviser=adviser)


CurrentCaseloadClient = Annotated[CaseloadClient, Depends(caseload_client)]
