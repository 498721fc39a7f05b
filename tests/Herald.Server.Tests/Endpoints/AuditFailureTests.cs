using System.Net;
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
