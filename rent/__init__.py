"""The rent account: ledger, charges run, payments, Direct Debit, change notices, arrears."""
