using System.Diagnostics.Metrics;
using Herald.Audit;
using Herald.Server.Security;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Server.Hosting;

/// <summary>
/// Herald's own instruments, on the meter <see cref="MeterName"/> (exported on GET /metrics, docs/server.md). Labels
/// are closed sets only: a service id from Herald's catalog or a REST route, an HTTP status code, an edition id, a
/// commit outcome. Nothing from a request (patient, hook instance, audit id, token, path) is ever a label or a value.
/// The request duration histogram is ASP.NET Core's own (http.server.request.duration, labelled with the route
/// template); <see cref="TagService"/> adds the CDS service id to it.
/// </summary>
public sealed class HeraldMetrics
{
    public const string MeterName = "Herald.Server";

    /// <summary>The label naming the service: the CDS Hooks service id or the REST route Herald audits the call under.</summary>
    public const string ServiceTag = "herald.service";

    private const string StatusTag = "http.response.status_code";

    // Boxed once: an int label value would otherwise be boxed on every answer.
    private static readonly object[] Statuses = Enumerable.Range(0, 600).Select(status => (object)status).ToArray();
    private static readonly object Committed = "committed";
    private static readonly object Failed = "failed";

    private readonly Counter<long> answers;
    private readonly Histogram<double> decisionDuration;
    private readonly Histogram<double> commitDuration;
    private readonly Histogram<int> commitRecords;

    /// <param name="meters">The host's meter factory: the meter lives and dies with the host.</param>
    /// <param name="services">Read at scrape time only, for the gauges (the audit writer is built after this class).</param>
    public HeraldMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        answers = meter.CreateCounter<long>("herald.answers", "{answer}",
            "Answers to audited calls (CDS Hooks services, REST, $apply), by service and HTTP status; 503 when the audit trail refused the record.");
        decisionDuration = meter.CreateHistogram("herald.decision.duration", "s",
            "The decision engine's own time for one decision (one edition), without reading input or writing the answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25] });
        commitDuration = meter.CreateHistogram("herald.audit.commit.duration", "s",
            "One group-commit transaction of the audit trail, committed or failed (its records then go to the spool).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        commitRecords = meter.CreateHistogram("herald.audit.commit.records", "{record}",
            "Records and feedback entries in one group-commit transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

        meter.CreateObservableGauge("herald.audit.spool.depth", () => services.GetRequiredService<DurableAuditWriter>().Health.Pending, "{record}",
            "Records and feedback waiting in the spool for the database to take them.");
        meter.CreateObservableGauge("herald.audit.queue.depth", () => services.GetRequiredService<DurableAuditWriter>().Health.Queued, "{call}",
            "Calls waiting for their audit record's group commit; at the queue's capacity new calls are answered 503.");
        meter.CreateObservableGauge("herald.replay_cache.size", () => ReplayCacheSize(services), "{token}",
            "Token ids (jti) remembered against replay: exact for the in-memory cache; for the shared PostgreSQL table, its last count (every 5 s) plus what this server added since.");
    }

    /// <summary>Labels the call's ASP.NET Core request metrics with its service (a catalog id or REST route, never the raw path).</summary>
    public static void TagService(HttpContext context, string service) =>
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(ServiceTag, service));

    public void Answered(string service, int status) =>
        answers.Add(1, new(ServiceTag, service), new(StatusTag, (uint)status < Statuses.Length ? Statuses[status] : status));

    public void Decided(string edition, TimeSpan elapsed) =>
        decisionDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("herald.edition", edition));

    /// <summary>For <see cref="DurableAuditWriter.CommitTimed"/>: called by the writer's commit loop, once per transaction.</summary>
    public void AuditCommitted(AuditCommitTiming commit)
    {
        commitDuration.Record(commit.Duration.TotalSeconds, new KeyValuePair<string, object?>("herald.audit.outcome", commit.Committed ? Committed : Failed));
        if (commit.Committed)
        {
            commitRecords.Record(commit.Writes);
        }
    }

    // A shared cache (a database table) reports its last count, not a query per scrape.
    private static IEnumerable<Measurement<long>> ReplayCacheSize(IServiceProvider services) =>
        services.GetService<IJtiReplayCache>() is { } cache ? [new Measurement<long>(cache.KnownSize)] : [];
}
