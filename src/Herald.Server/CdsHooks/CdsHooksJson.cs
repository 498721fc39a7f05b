using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Server.CdsHooks;

/// <summary>Source-generated serializers for the CDS Hooks models: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CdsServiceRequest))]
[JsonSerializable(typeof(CdsResponse))]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(DiscoveryResponse))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class CdsHooksJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context to use. The relaxed encoder keeps "—", "≥" and quotes readable in card text
    /// (the cards are JSON for an EHR, not HTML).
    /// </summary>
    public static CdsHooksJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

public static class CdsHooksJson
{
    public static string Serialize(CdsResponse response) =>
        JsonSerializer.Serialize(response, CdsHooksJsonContext.Web.CdsResponse);

    // The source generator's fast path (writing the models by generated code instead of through converters) runs only
    // with options that set no Encoder; the relaxed escaping is the writer's instead, which gives the same bytes.
    private static readonly CdsHooksJsonContext FastPath = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    private static readonly JsonWriterOptions RelaxedWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One buffer and writer per thread (serialising is synchronous): an answer is tens of kilobytes.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>The answer as the UTF-8 bytes sent: the same bytes as <see cref="Serialize(CdsResponse)"/>'s text.</summary>
    public static byte[] SerializeToUtf8(CdsResponse response)
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output, RelaxedWriter);
        json.Reset(output);
        JsonSerializer.Serialize(json, response, FastPath.CdsResponse);
        json.Flush();
        var bytes = output.WrittenSpan.ToArray();
        if (output.Capacity > 1024 * 1024)
        {
            buffer = null; // an unusually large answer: do not keep its buffer
            writer = null;
        }

        return bytes;
    }

    public static string Serialize(DiscoveryResponse discovery) =>
        JsonSerializer.Serialize(discovery, CdsHooksJsonContext.Web.DiscoveryResponse);

    /// <exception cref="JsonException">The text is not JSON of the feedback shape.</exception>
    public static FeedbackRequest? DeserializeFeedback(string json) =>
        JsonSerializer.Deserialize(json, CdsHooksJsonContext.Web.FeedbackRequest);
}
