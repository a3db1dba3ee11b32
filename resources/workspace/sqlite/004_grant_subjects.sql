-- Opsdeck local workspace, schema 4: as the team workspace's schema 4, a grant names a person who
-- is there.
CREATE TRIGGER grants_person_exists BEFORE INSERT ON grants
WHEN NEW.subject_kind = 'person' AND NOT EXISTS (SELECT 1 FROM people WHERE login = NEW.subject)
BEGIN
    SELECT RAISE(ABORT, 'not a person of this workspace');
END;
