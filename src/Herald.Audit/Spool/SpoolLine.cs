namespace Herald.Audit.Spool;

/// <summary>One line of the spool file: a record or a piece of feedback, never both.</summary>
internal sealed record SpoolLine(AuditRecord? Record, AuditFeedback? Feedback);
