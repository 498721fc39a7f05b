using System.Text.Json.Serialization;
using Herald.Audit.Spool;

namespace Herald.Audit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(SpoolLine))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
