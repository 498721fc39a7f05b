using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;

namespace Herald.Contracts.Output;

/// <summary>Source-generated serializers for the output documents (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NewLine = "\n")]
[JsonSerializable(typeof(DecisionDocument))]
[JsonSerializable(typeof(TraceDocument))]
[JsonSerializable(typeof(InputErrorsDocument))]
[JsonSerializable(typeof(KnowledgeDocument))]
[JsonSerializable(typeof(ComparisonDocument))]
internal sealed partial class ContractJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the serializers use. The attribute cannot set an encoder; the relaxed one keeps
    /// "≥", "–" and quotes readable rather than \u-escaped (the output is not embedded in HTML).
    /// </summary>
    public static ContractJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>The decision as JSON: the same decision always gives byte-identical text.</summary>
public static class DecisionJson
{
    public static string Serialize(Decision decision) => Serialize(DecisionDocumentMapper.Map(decision));

    /// <summary>A document already mapped (the server maps once and uses the document for every channel).</summary>
    public static string Serialize(DecisionDocument document) =>
        JsonSerializer.Serialize(document, ContractJsonContext.Output.DecisionDocument);

    /// <summary>The same text as UTF-8 bytes, without the string.</summary>
    public static byte[] SerializeToUtf8(DecisionDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, ContractJsonContext.Output.DecisionDocument);

    /// <summary>
    /// Writes the same UTF-8 bytes straight to a stream. An answer is tens of kilobytes, so a string of it
    /// lands on the large object heap; servers should prefer this overload.
    /// </summary>
    public static void Write(Decision decision, Stream stream) =>
        JsonSerializer.Serialize(stream, DecisionDocumentMapper.Map(decision), ContractJsonContext.Output.DecisionDocument);
}

/// <summary>The knowledge base and edition comparisons as JSON, with the decision's serializer settings.</summary>
public static class BrowseJson
{
    public static string Serialize(KnowledgeDocument document) =>
        JsonSerializer.Serialize(document, ContractJsonContext.Output.KnowledgeDocument);

    public static string Serialize(ComparisonDocument document) =>
        JsonSerializer.Serialize(document, ContractJsonContext.Output.ComparisonDocument);

    /// <summary>The same text as UTF-8 bytes, without the string.</summary>
    public static byte[] SerializeToUtf8(ComparisonDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, ContractJsonContext.Output.ComparisonDocument);
}

/// <summary>The decision with every statement and safety rule as evaluated, for <c>explain --format json</c>.</summary>
public static class TraceJson
{
    /// <exception cref="ArgumentException">The decision was made without <c>trace: true</c>.</exception>
    public static string Serialize(Decision decision) =>
        JsonSerializer.Serialize(DecisionDocumentMapper.MapTrace(decision), ContractJsonContext.Output.TraceDocument);
}

/// <summary>Input errors as JSON: <c>{ "errors": [ { "path", "message" } ] }</c>.</summary>
public static class InputErrorJson
{
    public static string Serialize(PatientReadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Serialize(result.Errors);
    }

    /// <summary>Any input errors in the same shape, e.g. a usage error of an adapter.</summary>
    public static string Serialize(IEnumerable<InputError> errors)
    {
        var document = new InputErrorsDocument(errors.Select(e => new InputErrorDocument(e.Path, e.Message)).ToArray());
        return JsonSerializer.Serialize(document, ContractJsonContext.Output.InputErrorsDocument);
    }
}
