using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Benchmarks;

/// <summary>
/// Loading the embedded knowledge base: read the YAML resources, validate each file against its JSON
/// Schema, compile. Paid once per process (<see cref="KnowledgeLoader.LoadEmbeddedOrThrow"/> caches it),
/// so it is what a CLI call pays before its first decision. Slow enough that few iterations suffice.
/// <list type="bullet">
/// <item>Warm: repeated loads in one process, the JIT done; the steady cost of the work itself.</item>
/// <item>Cold: the first load in a fresh process, JIT included; what one CLI call actually pays.</item>
/// </list>
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class KnowledgeLoadBenchmarks
{
    [Benchmark(Description = "Load and compile the embedded knowledge base")]
    public KnowledgeBase LoadEmbedded()
    {
        var result = KnowledgeLoader.LoadEmbedded();
        return result.Succeeded ? result.Knowledge! : throw new InvalidOperationException("The embedded knowledge base has errors.");
    }

    private sealed class Config : HeraldBenchmarkConfig
    {
        public Config()
            : base(
                Job.Default.WithId("Warm").WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(7),
                Job.Default.WithId("Cold").WithStrategy(RunStrategy.ColdStart).WithLaunchCount(5).WithWarmupCount(0).WithIterationCount(1))
        {
        }
    }
}
