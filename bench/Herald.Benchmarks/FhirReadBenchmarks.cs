using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Herald.Core.Knowledge;
using Herald.Fhir;
using Herald.Knowledge;
using Hl7.Fhir.Serialization;

namespace Herald.Benchmarks;

/// <summary>
/// The FHIR input of one seed-case request, read by Herald and by the Firely SDK from the same UTF-8 bytes: the
/// example Bundle (as the REST endpoint gets it) and the example CDS Hooks request (as the CDS Hooks endpoint gets it).
/// The ratio column is against a plain <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of
/// the same bytes, measured in the same run.
/// </summary>
[Config(typeof(HeraldBenchmarkConfig))]
[MemoryDiagnoser]
public class FhirReadBenchmarks
{
    private byte[] bytes = [];
    private KnowledgeBase knowledge = null!;
    private DateOnly asOf;
    private string? patientId;
    private readonly FhirJsonDeserializer firely = new();
    private readonly FhirJsonDeserializer firelyBackwardsCompatible =
        new(new DeserializerSettings().UsingMode(DeserializationMode.BackwardsCompatible));

    /// <summary>The request: examples/fhir/{Input}.json.</summary>
    [Params("seed-case-1.bundle", "seed-case-1.cds-hooks", "seed-case-2.bundle", "seed-case-2.cds-hooks")]
    public string Input { get; set; } = "";

    private bool IsCdsHooks => Input.EndsWith("cds-hooks", StringComparison.Ordinal);

    [GlobalSetup]
    public void Setup()
    {
        var root = RepositoryRoot();
        bytes = File.ReadAllBytes(Path.Combine(root, "examples", "fhir", Input + ".json"));
        knowledge = KnowledgeLoader.LoadEmbeddedOrThrow();
        var seed = Input[..Input.IndexOf('.', StringComparison.Ordinal)];
        using (var native = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "examples", seed + ".json"))))
        {
            asOf = DateOnly.Parse(native.RootElement.GetProperty("assessmentDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (IsCdsHooks)
        {
            using var request = JsonDocument.Parse(bytes);
            patientId = request.RootElement.GetProperty("context").GetProperty("patientId").GetString();
        }

        // Guard against measuring the wrong thing: Herald reads every resource and maps a complete patient, and
        // Firely reads as many resources.
        var set = HeraldRead();
        var mapped = FhirPatientMapper.Map(set, knowledge, asOf, patientId);
        if (set.Errors.Count > 0 || !mapped.IsComplete)
        {
            throw new InvalidOperationException($"{Input}: Herald read it with errors or mapped an incomplete patient.");
        }

        if (FirelyRead() != set.Count + Others())
        {
            throw new InvalidOperationException($"{Input}: Firely read {FirelyRead()} resources, Herald {set.Count} of its types plus {Others()} others.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse of the same bytes (baseline)")]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "Herald: read (FhirResourceSet)")]
    public int HeraldReadOnly() => HeraldRead().Count;

    [Benchmark(Description = "Herald: read + map to the native patient (FhirPatientMapper)")]
    public FhirMappingResult HeraldReadAndMap() => FhirPatientMapper.Map(HeraldRead(), knowledge, asOf, patientId);

    [Benchmark(Description = "Firely: deserialise to POCOs (default settings)")]
    public int FirelyDeserialise() => FirelyRead();

    [Benchmark(Description = "Firely: deserialise to POCOs (backwards-compatible mode, as the tests use it)")]
    public int FirelyDeserialiseBackwardsCompatible() => FirelyRead(firelyBackwardsCompatible);

    /// <summary>As the endpoints read it: the Bundle text (RecommendationEndpoints), or each prefetch value of the parsed request (CdsHooksEndpoints).</summary>
    private FhirResourceSet HeraldRead()
    {
        if (!IsCdsHooks)
        {
            return FhirResourceSet.Parse(Encoding.UTF8.GetString(bytes)).Resources;
        }

        using var request = JsonDocument.Parse(bytes);
        var set = new FhirResourceSet();
        set.AddPrefetch(request.RootElement.GetProperty("prefetch"));
        return set;
    }

    /// <summary>The number of resources Firely built: the Bundle read from the bytes, or each prefetch value of the parsed request.</summary>
    private int FirelyRead(FhirJsonDeserializer? with = null)
    {
        var deserializer = with ?? firely;
        if (!IsCdsHooks)
        {
            var reader = new Utf8JsonReader(bytes);
            return Count(deserializer.DeserializeResource(ref reader));
        }

        using var request = JsonDocument.Parse(bytes);
        var count = 0;
        foreach (var member in request.RootElement.GetProperty("prefetch").EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Object)
            {
                count += Count(deserializer.DeserializeResource(member.Value.GetRawText()));
            }
        }

        return count;
    }

    private static int Count(Hl7.Fhir.Model.Resource resource) =>
        resource is Hl7.Fhir.Model.Bundle bundle ? bundle.Entry.Sum(e => e.Resource is null ? 0 : Count(e.Resource)) : 1;

    /// <summary>Resources in the input of types Herald does not read (none in the seed examples).</summary>
    private int Others()
    {
        var count = 0;
        Walk(JsonDocument.Parse(bytes).RootElement);
        return count;

        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("resourceType", out var type))
            {
                if (type.GetString() == "Bundle")
                {
                    foreach (var entry in element.TryGetProperty("entry", out var entries) ? entries.EnumerateArray() : default)
                    {
                        Walk(entry.GetProperty("resource"));
                    }
                }
                else if (type.GetString() is not ("Patient" or "Condition" or "Observation" or "MedicationRequest" or "MedicationAdministration"
                    or "MedicationStatement" or "Medication" or "Procedure" or "AllergyIntolerance"))
                {
                    count++;
                }
            }
            else if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("prefetch", out var prefetch))
            {
                foreach (var member in prefetch.EnumerateObject())
                {
                    Walk(member.Value);
                }
            }
        }
    }

    /// <summary>The repository root: BenchmarkDotNet runs the benchmarks from a folder below bench/Herald.Benchmarks/bin.</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Herald.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Herald.slnx not found above " + AppContext.BaseDirectory);
    }
}
