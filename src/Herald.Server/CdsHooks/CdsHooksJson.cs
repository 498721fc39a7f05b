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

    /// <summary>The answer as the UTF-8 bytes sent (the same bytes as <see cref="Serialize(CdsResponse)"/>'s text).</summary>
    public static byte[] SerializeToUtf8(CdsResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(response, CdsHooksJsonContext.Web.CdsResponse);

    public static string Serialize(DiscoveryResponse discovery) =>
        JsonSerializer.Serialize(discovery, CdsHooksJsonContext.Web.DiscoveryResponse);

    /// <exception cref="JsonException">The text is not JSON of the feedback shape.</exception>
    public static FeedbackRequest? DeserializeFeedback(string json) =>
        JsonSerializer.Deserialize(json, CdsHooksJsonContext.Web.FeedbackRequest);
}
