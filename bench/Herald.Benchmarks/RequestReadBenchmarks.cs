using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Herald.Contracts;
using Herald.Server.CdsHooks;

namespace Herald.Benchmarks;

/// <summary>
/// Reading a CDS Hooks request body as the endpoint does (strict screen, parse, the request and its checks), beside
/// its parts and the former reading (the full screen, a parse, then the serializer, which copies context and every
/// prefetch value into a document of its own). The ratio column is against a plain
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of the same bytes, measured in the same run.
/// </summary>
[Config(typeof(HeraldBenchmarkConfig))]
[MemoryDiagnoser]
public class RequestReadBenchmarks
{
    private byte[] bytes = [];

    /// <summary>The request: examples/fhir/{Input}.json.</summary>
    [Params("seed-case-1.cds-hooks", "seed-case-2.cds-hooks")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        bytes = File.ReadAllBytes(Path.Combine(FhirReadBenchmarks.RepositoryRoot(), "examples", "fhir", Input + ".json"));
        using var parsed = CdsRequestValidator.Parse(bytes, CdsServiceCatalog.PatientView);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException($"{Input}: the request is refused: {string.Join("; ", parsed.Errors)}");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse of the same bytes (baseline)")]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "StrictJson.Check (the full screen, which names faults)")]
    public int FullScreen() => StrictJson.Check(bytes).Count;

    [Benchmark(Description = "StrictJson.TryParse (quick screen and parse)")]
    public bool ScreenAndParse()
    {
        var parsed = StrictJson.TryParse(bytes, out var document, out _);
        document?.Dispose();
        return parsed;
    }

    [Benchmark(Description = "CdsRequestValidator.Parse, disposed as the endpoint does")]
    public bool Read()
    {
        using var parsed = CdsRequestValidator.Parse(bytes, CdsServiceCatalog.PatientView);
        return parsed.IsValid;
    }

    [Benchmark(Description = "Former reading: full screen, parse, serializer, checks")]
    public int FormerRead()
    {
        if (StrictJson.Check(bytes).Count > 0)
        {
            return -1;
        }

        using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth });
        var request = document.RootElement.Deserialize(CdsHooksJsonContext.Web.CdsServiceRequest)!;
        return CdsRequestValidator.Validate(request, CdsServiceCatalog.PatientView).Count;
    }
}
