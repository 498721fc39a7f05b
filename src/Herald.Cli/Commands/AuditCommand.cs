using System.CommandLine;
using Herald.Audit;
using Herald.Audit.Stores;
using Herald.Server.Pipeline;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald audit replay &lt;audit-id&gt;</c>: derives a recorded answer again from the record's input and knowledge
/// base, and checks it against the digest of the bytes that were sent. Exit 0: reproduced byte for byte; 3: it does not
/// reproduce (the record says which knowledge-base version made it); 2: no such record, or nothing to replay; 1: the
/// database could not be read.
/// </summary>
internal static class AuditCommand
{
    /// <summary>The environment variable the server reads too.</summary>
    public const string ConnectionVariable = "HERALD_AUDIT_CONNECTION";

    public static Command Create(CliContext context) =>
        new("audit", "Work with the server's audit trail")
        {
            Replay(context),
        };

    private static Command Replay(CliContext context)
    {
        var id = new Argument<string>("audit-id")
        {
            Description = "The record's id (the X-Herald-Audit-Id header of the answer, or the id GET /audit lists)",
        };
        var connection = new Option<string?>("--connection")
        {
            Description = "The audit database, as the server takes it: a PostgreSQL connection string or postgres:// URI, or " +
                          $"'Data Source=/path/audit.db' for SQLite (default: ${ConnectionVariable}, else the server's default SQLite file)",
            HelpName = "string",
        };
        var knowledge = CommonOptions.Knowledge();
        var show = new Option<bool>("--show-answer")
        {
            Description = "Also print the answer derived again",
        };
        var command = new Command("replay",
            "Derive a recorded answer again from the record's stored input and check it byte for byte against the digest of the answer sent")
        {
            id, connection, knowledge, show,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(id)!, parse.GetValue(connection), parse.GetValue(knowledge), parse.GetValue(show)));
        return command;
    }

    private static int Execute(CliContext context, string idText, string? connection, string? directory, bool show)
    {
        if (!Guid.TryParse(idText, out var id))
        {
            throw new UsageException("audit-id", $"audit-id: '{idText}' is not a record id (a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).");
        }

        var kb = KnowledgeSource.Load(directory);
        connection ??= Environment.GetEnvironmentVariable(ConnectionVariable);
        SqlAuditStore store;
        try
        {
            store = AuditStoreFactory.Create(connection, DefaultSqlitePath());
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--connection", $"--connection: {e.Message}");
        }

        AuditEntry? entry;
        try
        {
            entry = store.FindAsync(id).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not UsageException)
        {
            context.WriteError($"herald: the audit database ({store.Description}) could not be read: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (entry is null)
        {
            throw new UsageException("audit-id", $"No audit record {id} in {store.Description}.");
        }

        var result = AnswerReplay.ReplayAsync(entry.Record, kb).GetAwaiter().GetResult();
        var r = result.Record;
        context.WriteOut($"Audit record {r.Id}: {r.Service}, status {r.Status}, {r.Time:yyyy-MM-dd'T'HH:mm:ss'Z'}, patient {r.PatientId ?? "(none)"}, caller {r.Caller}");
        context.WriteOut($"Knowledge base: made with {r.KnowledgeBaseVersion ?? "(not recorded)"}; replayed with {result.CurrentKnowledgeBaseVersion}");
        switch (result.Verdict)
        {
            case ReplayVerdict.Reproduced:
                context.WriteOut($"Reproduced: the answer derived again from the stored input is byte for byte the one sent (SHA-256 {r.OutputDigest}).");
                break;
            case ReplayVerdict.Differs:
                context.WriteOut(result.KnowledgeDiffers
                    ? $"Not reproduced: the answer was made with knowledge-base version {r.KnowledgeBaseVersion}; the current version, " +
                      $"{result.CurrentKnowledgeBaseVersion}, gives a different answer (status {result.Answer!.Status}, SHA-256 {result.Digest}; sent: status {r.Status}, SHA-256 {r.OutputDigest})."
                    : $"Not reproduced: the same knowledge-base version ({r.KnowledgeBaseVersion}) now gives a different answer (status {result.Answer!.Status}, " +
                      $"SHA-256 {result.Digest}; sent: status {r.Status}, SHA-256 {r.OutputDigest}): the code or the knowledge changed without a new version.");
                break;
            case ReplayVerdict.NoInput:
                context.WriteOut(entry.LegacyOutput is not null
                    ? "Nothing to replay: the record was written before inputs were kept (schema version 2); its full answer is kept in audit_legacy_output."
                    : "Nothing to replay: the record keeps no input (the body was over the size limit, so nothing was read).");
                return ExitCodes.InvalidInput;
            case ReplayVerdict.InputAltered:
                context.WriteOut($"Not reproduced: the stored input does not match the record's input digest ({r.InputDigest}); the record was altered.");
                return ExitCodes.NotReproduced;
        }

        if (show && result.Answer is { } answer)
        {
            context.WriteOut(answer.Text);
        }

        return result.Verdict == ReplayVerdict.Reproduced ? ExitCodes.Success : ExitCodes.NotReproduced;
    }

    /// <summary>Where the server keeps its SQLite file when nothing is configured (Herald:Audit:SqlitePath's default).</summary>
    private static string DefaultSqlitePath() => new Herald.Server.Hosting.AuditOptions().ResolveSqlitePath();
}
