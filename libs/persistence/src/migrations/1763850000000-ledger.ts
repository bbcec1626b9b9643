import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger. The database itself guarantees what the rest of the system relies on:
 *  - journal_entries and postings are append-only (forbid_mutation from the foundation);
 *  - at commit, every entry created in the transaction has postings summing to zero per currency
 *    (one deferred constraint trigger per entry, one set-based check each);
 *  - postings can only be added to an entry in the transaction that created it, so a committed,
 *    balanced entry can never be unbalanced later (statement-level: 100,000 postings = one check).
 */
export class Ledger1763850000000 implements MigrationInterface {
  name = 'Ledger1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE journal_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,99}$'),
        reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 300),
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- SHA-256 of the sorted postings: a retried writer with the same (kind, reference) but
        -- different postings is refused instead of silently ignored.
        postings_digest text NOT NULL CHECK (postings_digest ~ '^[0-9a-f]{64}$'),
        -- The creating transaction (set by trigger, whatever the INSERT says).
        tx_id bigint NOT NULL DEFAULT txid_current(),
        CONSTRAINT journal_entries_kind_reference_key UNIQUE (kind, reference)
      );
      CREATE INDEX journal_entries_occurred_at_idx ON journal_entries (occurred_at);
      CREATE INDEX journal_entries_reference_idx ON journal_entries (reference);

      CREATE TABLE postings (
        id bigserial PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES journal_entries(id),
        account text NOT NULL CHECK (account ~ '^[a-z][a-z_]*(:[A-Za-z0-9_.-]+)+$' AND length(account) <= 200),
        currency char(3) NOT NULL CONSTRAINT postings_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
        -- Debit positive, credit negative; a zero posting means nothing and is refused.
        amount bigint NOT NULL CONSTRAINT postings_amount_nonzero CHECK (amount <> 0)
      );
      CREATE INDEX postings_entry_idx ON postings (entry_id);
      -- Balances by account (equality) and by account prefix (LIKE 'liability:payable:%'):
      -- text_pattern_ops serves both; INCLUDE (amount) allows index-only sums.
      CREATE INDEX postings_account_idx ON postings (account text_pattern_ops, currency) INCLUDE (amount);

      -- Append-only.
      CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

      -- tx_id is always the inserting transaction, never a value supplied by the writer.
      CREATE FUNCTION ledger_stamp_entry_tx() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.tx_id := txid_current();
        RETURN NEW;
      END $$;
      CREATE TRIGGER journal_entries_stamp_tx BEFORE INSERT ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_stamp_entry_tx();

      -- At commit (deferred), once per entry: it has postings and they sum to zero per currency.
      CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM postings WHERE entry_id = NEW.id) THEN
          RAISE EXCEPTION 'journal entry % (% %) has no postings', NEW.id, NEW.kind, NEW.reference
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_has_postings', TABLE = 'journal_entries';
        END IF;
        SELECT currency, sum(amount) AS total INTO bad
          FROM postings WHERE entry_id = NEW.id
         GROUP BY currency HAVING sum(amount) <> 0
         ORDER BY currency LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % (% %) is unbalanced: its % postings sum to % instead of 0',
            NEW.id, NEW.kind, NEW.reference, bad.currency, bad.total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced', TABLE = 'journal_entries';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

      -- Postings join only an entry created in the same transaction: one set-based check per
      -- INSERT statement, however many rows it carries.
      CREATE FUNCTION ledger_check_postings_same_tx() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        late uuid;
      BEGIN
        SELECT e.id INTO late
          FROM (SELECT DISTINCT entry_id FROM new_postings) n
          JOIN journal_entries e ON e.id = n.entry_id
         WHERE e.tx_id <> txid_current()
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % is closed: postings can only be added in the transaction that created it (post a new entry instead)', late
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_same_transaction', TABLE = 'postings';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER postings_same_transaction AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_postings_same_tx();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE postings; DROP TABLE journal_entries;
      DROP FUNCTION ledger_check_postings_same_tx(); DROP FUNCTION ledger_check_entry_balanced(); DROP FUNCTION ledger_stamp_entry_tx();
    `);
  }
}
