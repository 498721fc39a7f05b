using System.Net;
using System.Text.Json.Nodes;
using Herald.Audit.Stores;
using Herald.Server.Endpoints;
using Herald.Server.Tests.Audit;
using Microsoft.Data.Sqlite;
using Herald.Audit;
using Herald.Server.CdsHooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// When the audit database fails, the answer is still given and its record waits in the durable spool; when the
/// spool fails too, Herald fails closed: 503 and no answer (docs/audit.md).
/// </summary>
public sealed class AuditFailureTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;

    [Fact]
    public async Task A_database_failure_still_answers_and_the_record_reaches_the_database_later()
    {
        var store = new FailingAuditStore();
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(store);
        });
        var client = host.CreateClient();
        store.FailAppends = true;

        var response = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty((await Http.Body(response))["cards"]!.AsArray());
        var writer = host.Service<DurableAuditWriter>();
        Assert.Equal(1, writer.Health.Pending);
        Assert.Empty(store.Records);

        store.FailAppends = false;
        Assert.Equal(1, await writer.DrainSpoolAsync());
        var record = Assert.Single(store.Records);
        Assert.Equal(response.Headers.GetValues("X-Herald-Audit-Id").Single(), record.Id.ToString());
        Assert.Equal(0, writer.Health.Pending);
    }

    [Fact]
    public async Task When_the_database_and_the_spool_both_fail_the_answer_is_withheld_with_503()
    {
        var store = new FailingAuditStore { FailAppends = true };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(store);
        });
        var client = host.CreateClient();
        var spool = host.Service<DurableAuditWriter>().SpoolDirectory;

        // The spool's place is taken by a file, so nothing can be written there.
        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }

        await File.WriteAllTextAsync(spool, "not a directory");

        var response = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cards", text, StringComparison.Ordinal);
        Assert.Contains("audit", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_audit_trail_is_503_for_the_reader()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(new FailingAuditStore { FailQueries = true });
        });

        var response = await host.CreateClient().GetAsync("/audit");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Health_reports_a_degraded_audit_trail_and_the_records_waiting()
    {
        var store = new FailingAuditStore { FailAppends = true };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(store);
        });
        var client = host.CreateClient();
        await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));

        var health = await Http.Body(await client.GetAsync("/health"));

        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.False(health["audit"]!["storeReachable"]!.GetValue<bool>());
        Assert.Equal(1, health["audit"]!["waitingInSpool"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_the_SQLite_folder_is_deleted_under_the_running_server_health_says_so_and_the_answers_after_it_reach_the_database()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), WithDataFolder(out var data));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);

        Directory.Delete(data, recursive: true);

        var health = await Http.Body(await client.GetAsync("/health"));
        Assert.False(health["audit"]!["storeReachable"]!.GetValue<bool>());
        Assert.Contains("deleted or replaced", health["audit"]!["lastStoreError"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var id = after.Headers.GetValues("X-Herald-Audit-Id").Single();
        Assert.Equal(1, host.Service<DurableAuditWriter>().Health.Pending);

        Assert.Equal(1, await host.Service<DurableAuditWriter>().DrainSpoolAsync());

        // Read from the file at the configured path, not through the server's connections.
        Assert.True(await RecordIsInFileAsync(Path.Combine(data, "audit.db"), id));
        health = await Http.Body(await client.GetAsync("/health"));
        Assert.True(health["audit"]!["storeReachable"]!.GetValue<bool>());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task After_a_permission_fault_is_fixed_the_running_server_reaches_the_database_again_and_drains_its_spool_without_a_restart()
    {
        var settings = WithDataFolder(out var data);
        settings["Herald:Audit:StoreRetryInterval"] = "00:00:00"; // every answer tries the database
        var database = Path.Combine(data, "audit.db");
        await using (var prepared = new SqliteAuditStore(database))
        {
            await prepared.EnsureSchemaAsync();
        }

        SqliteConnection.ClearAllPools();
        FilePermissions.MakeReadOnly(database);
        try
        {
            using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), settings);
            var client = host.CreateClient();
            var writer = host.Service<DurableAuditWriter>();
            var during = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.False(writer.Health.StoreReachable);
            Assert.Equal(1, writer.Health.Pending);

            FilePermissions.MakeWritable(database);
            var after = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));

            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            await Eventually.True(() => writer.Health is { StoreReachable: true, Pending: 0 }, $"the spool drained with the store reachable ({writer.Health})");
            Assert.True(await RecordIsInFileAsync(database, during.Headers.GetValues("X-Herald-Audit-Id").Single()));
            Assert.True(await RecordIsInFileAsync(database, after.Headers.GetValues("X-Herald-Audit-Id").Single()));
        }
        finally
        {
            FilePermissions.MakeWritable(database);
        }
    }

    [Fact]
    public async Task When_the_audit_queue_is_full_the_answer_is_withheld_with_503_and_Retry_After()
    {
        var gated = new GatedStore(new FailingAuditStore());
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Audit:QueueCapacity"] = "1",
            ["Herald:Audit:StoreTimeout"] = "00:01:00",
        }, s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(gated);
        });
        var client = host.CreateClient();
        var writer = host.Service<DurableAuditWriter>();
        var inFlight = Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));
        await gated.Entered.Task;
        var queued = Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));
        await Eventually.True(() => writer.Health.Queued == 1, "one answer queued behind the commit");

        var refused = await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("cards", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("X-Herald-Audit-Id"));
        gated.Gate.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await inFlight).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
    }

    [Fact]
    public async Task Feedback_with_more_entries_than_the_bound_is_refused_and_a_full_request_is_written_in_one_transaction()
    {
        FlakyStore? counted = null;
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(provider => counted = new FlakyStore(new SqliteAuditStore(Path.Combine(Path.GetTempPath(), "herald-feedback-" + Guid.NewGuid().ToString("N"), "audit.db"))));
        });
        var client = host.CreateClient();
        var answer = await Http.Body(await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1")));
        var card = answer["cards"]![0]!["uuid"]!.GetValue<string>();

        var tooMany = await Http.Post(client, PatientView + "/feedback", Feedback(card, CdsHooksEndpoints.MaxFeedbackEntries + 1));
        var transactionsBefore = counted!.Transactions.Count;
        var bounded = await Http.Post(client, PatientView + "/feedback", Feedback(card, CdsHooksEndpoints.MaxFeedbackEntries));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains($"at most {CdsHooksEndpoints.MaxFeedbackEntries}", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bounded.StatusCode);
        var written = Assert.Single(counted.Transactions.Skip(transactionsBefore));
        Assert.Equal(CdsHooksEndpoints.MaxFeedbackEntries, written.Count(w => w.Feedback is not null));
        var stored = await Http.Body(await client.GetAsync("/audit"));
        Assert.Equal(CdsHooksEndpoints.MaxFeedbackEntries, stored["records"]![0]!["feedback"]!.AsArray().Count);
    }

    private static JsonObject Feedback(string card, int entries) => new()
    {
        ["feedback"] = new JsonArray(Enumerable.Range(0, entries).Select(i => (JsonNode)new JsonObject
        {
            ["card"] = card,
            ["outcome"] = "overridden",
            ["overrideReason"] = new JsonObject { ["userComment"] = $"entry {i}" },
            ["outcomeTimestamp"] = "2020-10-26T10:00:00Z",
        }).ToArray()),
    };

    /// <summary>The SQLite file and its spool in a folder of their own (the server's default layout), to delete or lock.</summary>
    private static Dictionary<string, string?> WithDataFolder(out string data)
    {
        data = Path.Combine(Path.GetTempPath(), "herald-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        return new Dictionary<string, string?>
        {
            ["Herald:Audit:SqlitePath"] = Path.Combine(data, "audit.db"),
            ["Herald:Audit:SpoolDirectory"] = Path.Combine(data, "audit-spool"),
        };
    }

    private static async Task<bool> RecordIsInFileAsync(string database, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_record WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }
}

/// <summary>
/// A file the server cannot write. Root ignores permission bits, so as root the file is made immutable (chattr +i,
/// which needs a file system that supports it, as ext4 does); otherwise its write bits are taken away.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class FilePermissions
{
    private static bool IsRoot => Environment.UserName == "root";

    public static void MakeReadOnly(string path)
    {
        if (IsRoot)
        {
            Chattr("+i", path);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
    }

    public static void MakeWritable(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if (IsRoot)
        {
            Chattr("-i", path);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chattr {flag} {path} failed ({process.ExitCode}): {error}");
    }
}

/// <summary>An audit store that fails on demand and otherwise keeps records in memory.</summary>
internal sealed class FailingAuditStore : IAuditStore
{
    private readonly List<AuditRecord> records = [];

    public bool FailAppends { get; set; }

    public bool FailQueries { get; set; }

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (records)
            {
                return records.ToArray();
            }
        }
    }

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditWrite> writes, CancellationToken cancellationToken = default)
    {
        if (FailAppends)
        {
            throw new IOException("database unreachable");
        }

        var results = new List<bool>();
        lock (records)
        {
            foreach (var write in writes)
            {
                if (write.Record is { } record)
                {
                    if (records.All(r => r.Id != record.Id))
                    {
                        records.Add(record);
                    }

                    results.Add(true);
                }
                else
                {
                    results.Add(records.Any(r => r.CardIds.Contains(write.Feedback!.CardId)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(results);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        FailQueries
            ? throw new IOException("database unreachable")
            : Task.FromResult<IReadOnlyList<AuditEntry>>(Records.Where(r => r.Caller == query.Caller).Select(r => new AuditEntry(r, [])).ToArray());
}
