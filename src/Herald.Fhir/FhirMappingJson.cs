using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Fhir.Lines;

namespace Herald.Fhir;

/// <summary>
/// Source-generated serializers (camelCase, nulls left out) for what the mapping reports beside the
/// native patient: derived lines, unmapped codes, notes, problems, FHIR read errors and draft orders.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<DerivedLine>))]
[JsonSerializable(typeof(IReadOnlyList<UnmappedCode>))]
[JsonSerializable(typeof(IReadOnlyList<MappingNote>))]
[JsonSerializable(typeof(IReadOnlyList<MappingProblem>))]
[JsonSerializable(typeof(IReadOnlyList<FhirReadError>))]
[JsonSerializable(typeof(IReadOnlyList<DraftOrder>))]
[JsonSerializable(typeof(FhirMappingReport))]
public sealed partial class FhirMappingJson : JsonSerializerContext
{
    /// <summary>The context with the relaxed encoder, so "≥" and quotes stay readable (the output is not HTML).</summary>
    public static FhirMappingJson Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<Lines.AgentMatch>(JsonNamingPolicy.CamelCase) },
    });

    /// <summary>The mapping's report (everything but the patient) as one JSON object.</summary>
    public static string Serialize(FhirMappingResult result) =>
        JsonSerializer.Serialize(Herald.Fhir.FhirMappingReport.From(result), Output.FhirMappingReport);
}

/// <summary>The parts of a mapping result a caller shows beside the decision.</summary>
public sealed record FhirMappingReport(
    IReadOnlyList<DerivedLine> Lines,
    IReadOnlyList<UnmappedCode> Unmapped,
    IReadOnlyList<MappingNote> Notes,
    IReadOnlyList<MappingProblem> Problems)
{
    public static FhirMappingReport From(FhirMappingResult result) => new(result.Lines, result.Unmapped, result.Notes, result.Problems);
}
