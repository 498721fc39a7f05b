using BenchmarkDotNet.Attributes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Knowledge;

namespace Herald.Benchmarks;

/// <summary>
/// One decision, as the CLI and the HTTP service make it. The patients and the knowledge base are
/// prepared once in <see cref="Setup"/>; each benchmark measures only what its name says.
/// Ratios are against <see cref="FirstLineDeNovo"/>, measured in the same run.
/// </summary>
[Config(typeof(HeraldBenchmarkConfig))]
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private DecisionEngine engine = null!;
    private KnowledgeBase knowledge = null!;
    private Patient firstLine = null!;
    private DateOnly firstLineAsOf;
    private Patient threePriorLines = null!;
    private DateOnly threePriorLinesAsOf;

    // Reused between calls, as a server reuses its response buffers.
    private readonly MemoryStream output = new(128 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        knowledge = KnowledgeLoader.LoadEmbeddedOrThrow();
        engine = new DecisionEngine(knowledge);
        (firstLine, firstLineAsOf) = Read(PatientInputs.FirstLineDeNovo);
        (threePriorLines, threePriorLinesAsOf) = Read(PatientInputs.ThreePriorLines);

        // Guard against measuring the wrong thing: each patient must reach the decision point it stands for.
        Expect(engine.Decide(firstLine, firstLineAsOf), DecisionKind.FirstLine);
        Expect(engine.Decide(threePriorLines, threePriorLinesAsOf), DecisionKind.LaterLine);
    }

    [Benchmark(Baseline = true, Description = "Decide: first line, de novo (no prior lines)")]
    public Decision FirstLineDeNovo() => engine.Decide(firstLine, firstLineAsOf);

    [Benchmark(Description = "Decide: fourth line after three prior lines (goal)")]
    public Decision ThreePriorLines() => engine.Decide(threePriorLines, threePriorLinesAsOf);

    [Benchmark(Description = "Decide with trace (explain): three prior lines")]
    public Decision ThreePriorLinesTraced() => engine.Decide(threePriorLines, threePriorLinesAsOf, trace: true);

    [Benchmark(Description = "End to end: read JSON + decide + write JSON, three prior lines")]
    public string ThreePriorLinesEndToEnd()
    {
        var input = PatientJsonReader.Read(PatientInputs.ThreePriorLines, knowledge, threePriorLinesAsOf);
        var decision = engine.Decide(input.Patient!, input.AsOf);
        return DecisionJson.Serialize(decision);
    }

    [Benchmark(Description = "End to end, writing JSON to a stream (as a server would), three prior lines")]
    public long ThreePriorLinesEndToEndStream()
    {
        var input = PatientJsonReader.Read(PatientInputs.ThreePriorLines, knowledge, threePriorLinesAsOf);
        var decision = engine.Decide(input.Patient!, input.AsOf);
        output.Position = 0;
        DecisionJson.Write(decision, output);
        return output.Position;
    }

    private (Patient Patient, DateOnly AsOf) Read(string json)
    {
        var result = PatientJsonReader.Read(json, knowledge, DateOnly.FromDateTime(DateTime.UtcNow));
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The benchmark patient is not valid: " + result.Describe());
        }

        return (result.Patient, result.AsOf);
    }

    private static void Expect(Decision decision, DecisionKind kind)
    {
        if (decision.Point.Kind != kind || decision.Recommendations.Count == 0)
        {
            throw new InvalidOperationException(
                $"The benchmark patient reaches {decision.Point.Kind} with {decision.Recommendations.Count} options; expected {kind} with at least one.");
        }
    }
}
