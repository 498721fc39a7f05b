using Herald.Audit;

namespace Herald.Server.Hosting;

/// <summary>
/// The server's settings, bound from the configuration section "Herald" (appsettings.json, environment
/// variables such as <c>Herald__Port</c>, or <c>--Herald:Port=…</c>). Every setting has an embedded default,
/// so <c>dotnet run --project src/Herald.Server</c> needs none of them.
/// </summary>
public sealed class HeraldServerOptions
{
    public const string Section = "Herald";

    /// <summary>The fixed default port; 0 picks a free one (tests).</summary>
    public const int DefaultPort = 8410;

    /// <summary>Loopback only unless an operator decides otherwise (and then HTTPS: docs/security.md).</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = DefaultPort;

    /// <summary>Largest request body accepted, in bytes; larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    public AuditOptions Audit { get; set; } = new();

    public FhirClientOptions Fhir { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public BenchOptions Bench { get; set; } = new();
}

/// <summary>Load-test baselines (bench/load/run.sh); off unless a setting turns them on.</summary>
public sealed class BenchOptions
{
    /// <summary>A file whose bytes <c>POST /bench/bare</c> answers with; empty (the default): no such endpoint.</summary>
    public string? BareAnswerFile { get; set; }
}

/// <summary>GET /metrics (docs/server.md): on unless an operator turns it off.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve the Prometheus scrape endpoint; false removes it and the metrics exporter.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Serve /metrics only on connections to this local port (a second Kestrel endpoint on the operations network);
    /// null: on every endpoint. The port the connection reached, not the Host header, which a caller writes.
    /// </summary>
    public int? Port { get; set; }
}

public sealed class AuditOptions
{
    // The audit library's defaults, so the two cannot drift.
    private static readonly AuditQueueOptions QueueDefaults = new();

    /// <summary>A PostgreSQL connection string selects PostgreSQL; empty means the embedded SQLite file.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The SQLite file; by default herald/audit.db under the user's local data folder.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>Where records wait when the database cannot take them; by default beside the SQLite file.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>How often the spool is retried into the database (it is also drained as soon as a commit succeeds again).</summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls waiting for their record's commit, at most; more are answered 503 with Retry-After.</summary>
    public int QueueCapacity { get; set; } = QueueDefaults.Capacity;

    /// <summary>Records committed in one transaction, at most (group commit).</summary>
    public int MaxBatch { get; set; } = QueueDefaults.MaxBatch;

    /// <summary>How long a commit waits on the database (a held lock, no answer) before its records go to the spool.</summary>
    public TimeSpan StoreTimeout { get; set; } = QueueDefaults.StoreTimeout;

    /// <summary>After a database failure, records go straight to the spool for this long before the database is tried again.</summary>
    public TimeSpan StoreRetryInterval { get; set; } = QueueDefaults.StoreRetryInterval;

    public AuditQueueOptions Queue => new()
    {
        Capacity = QueueCapacity,
        MaxBatch = MaxBatch,
        StoreTimeout = StoreTimeout,
        StoreRetryInterval = StoreRetryInterval,
    };

    /// <summary>Every configuration fault, in words with the setting's name; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = Queue.Validate().Select(f => $"Herald:Audit: {f}.").ToList();
        if (DrainInterval < TimeSpan.FromMilliseconds(10))
        {
            faults.Add($"Herald:Audit:DrainInterval must be 10 ms or more, not {DrainInterval}.");
        }

        return faults;
    }

    /// <summary>The connection string the audit uses: <see cref="ConnectionString"/>, else the HERALD_AUDIT_CONNECTION variable.</summary>
    public string? ResolveConnectionString(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(ConnectionString) ? configuration["HERALD_AUDIT_CONNECTION"] : ConnectionString;

    public string ResolveSqlitePath() =>
        string.IsNullOrWhiteSpace(SqlitePath)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "herald", "audit.db")
            : Path.GetFullPath(SqlitePath);

    public string ResolveSpoolDirectory() =>
        string.IsNullOrWhiteSpace(SpoolDirectory)
            ? Path.Combine(Path.GetDirectoryName(ResolveSqlitePath())!, "audit-spool")
            : Path.GetFullPath(SpoolDirectory);
}

/// <summary>Calls to the EHR's FHIR server when the prefetch lacks something.</summary>
public sealed class FhirClientOptions
{
    /// <summary>Per attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, for connection failures, attempt timeouts, 408, 429 and 5xx.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>For all attempts of one request (one page of a search) together.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Search result pages read per query at most (next links on fhirServer's origin only). A search with more pages
    /// fails (412) rather than being read in part. 100 pages of even a small page size (20) are 2,000 resources of one
    /// type for one patient; the bound stops a server that links its pages in a loop. Raise it for a server whose
    /// pages are smaller still.
    /// </summary>
    public int MaxPages { get; set; } = 100;

    /// <summary>Every configuration fault, in words; empty when the options are usable. The timeout bounds are Polly's.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        var shortest = TimeSpan.FromMilliseconds(10);
        var longest = TimeSpan.FromHours(24);
        if (AttemptTimeout < shortest || AttemptTimeout > longest)
        {
            faults.Add($"Herald:Fhir:AttemptTimeout must be from 10 ms to 24 hours, not {AttemptTimeout}.");
        }

        if (TotalTimeout < shortest || TotalTimeout > longest)
        {
            faults.Add($"Herald:Fhir:TotalTimeout must be from 10 ms to 24 hours, not {TotalTimeout}.");
        }

        if (Retries < 0)
        {
            faults.Add($"Herald:Fhir:Retries must be 0 or more, not {Retries}.");
        }

        if (MaxPages < 1)
        {
            faults.Add($"Herald:Fhir:MaxPages must be 1 or more, not {MaxPages}.");
        }

        return faults;
    }
}
