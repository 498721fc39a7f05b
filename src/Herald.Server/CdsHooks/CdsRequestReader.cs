using System.Text.Json;

namespace Herald.Server.CdsHooks;

/// <summary>
/// Reads a CDS Hooks request from its parsed body as the serializer would (names matched exactly, other members
/// ignored, <c>null</c> as absent), but keeps <c>context</c> and each prefetch value as elements of that one body
/// instead of copying each into a document of its own.
/// </summary>
internal static class CdsRequestReader
{
    /// <summary>The request in <paramref name="root"/>, an object whose members already have their JSON types checked.</summary>
    public static CdsServiceRequest Read(JsonElement root)
    {
        string? hook = null, hookInstance = null, fhirServer = null;
        FhirAuthorization? authorization = null;
        JsonElement context = default;
        Dictionary<string, JsonElement?>? prefetch = null;
        foreach (var member in root.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("hook"u8))
            {
                hook = Text(value);
            }
            else if (member.NameEquals("hookInstance"u8))
            {
                hookInstance = Text(value);
            }
            else if (member.NameEquals("fhirServer"u8))
            {
                fhirServer = Text(value);
            }
            else if (member.NameEquals("fhirAuthorization"u8))
            {
                authorization = value.ValueKind == JsonValueKind.Null ? null : ReadAuthorization(value);
            }
            else if (member.NameEquals("context"u8))
            {
                context = value; // null stays a null element, as the serializer gives it
            }
            else if (member.NameEquals("prefetch"u8))
            {
                prefetch = value.ValueKind == JsonValueKind.Null ? null : ReadPrefetch(value);
            }
        }

        return new CdsServiceRequest
        {
            Hook = hook,
            HookInstance = hookInstance,
            FhirServer = fhirServer,
            FhirAuthorization = authorization,
            Context = context,
            Prefetch = prefetch,
        };
    }

    private static FhirAuthorization ReadAuthorization(JsonElement auth)
    {
        string? accessToken = null, tokenType = null, scope = null, subject = null, patient = null;
        long? expiresIn = null;
        foreach (var member in auth.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("access_token"u8))
            {
                accessToken = Text(value);
            }
            else if (member.NameEquals("token_type"u8))
            {
                tokenType = Text(value);
            }
            else if (member.NameEquals("expires_in"u8))
            {
                expiresIn = value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
            }
            else if (member.NameEquals("scope"u8))
            {
                scope = Text(value);
            }
            else if (member.NameEquals("subject"u8))
            {
                subject = Text(value);
            }
            else if (member.NameEquals("patient"u8))
            {
                patient = Text(value);
            }
        }

        return new FhirAuthorization
        {
            AccessToken = accessToken,
            TokenType = tokenType,
            ExpiresIn = expiresIn,
            Scope = scope,
            Subject = subject,
            Patient = patient,
        };
    }

    private static Dictionary<string, JsonElement?> ReadPrefetch(JsonElement prefetch)
    {
        var values = new Dictionary<string, JsonElement?>();
        foreach (var member in prefetch.EnumerateObject())
        {
            values[member.Name] = member.Value.ValueKind == JsonValueKind.Null ? null : member.Value;
        }

        return values;
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();
}
