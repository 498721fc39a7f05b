namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// The metrics tests run alone, after the others: OpenTelemetry listens to meters by name across the process, so a
/// scrape of one in-memory server would also count the calls other tests' servers answer at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
