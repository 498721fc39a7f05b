using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;

namespace Herald.Benchmarks;

/// <summary>
/// A modest job, so the suite runs in a few minutes on a small (shared) machine: one process,
/// a few warmup iterations, fifteen measured iterations. The median is the figure to read; the
/// ratio column compares each benchmark with the baseline of its class, measured in the same run.
/// </summary>
public class HeraldBenchmarkConfig : ManualConfig
{
    public HeraldBenchmarkConfig()
        : this(Job.Default.WithId("Short").WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15))
    {
    }

    protected HeraldBenchmarkConfig(params Job[] jobs)
    {
        AddJob(jobs);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
