DROP TABLE execution_reminders;
DROP TABLE execution_agreements;
