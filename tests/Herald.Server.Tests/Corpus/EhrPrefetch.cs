using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// What an EHR's FHIR server answers when it runs Herald's prefetch templates as written over a patient's record: the
/// record is stored as a server stores a transaction (each resource under Type/id, bundle-local urn:uuid and absolute
/// references rewritten to Type/id), and each template's query selects from it by patient, by code and with _include.
/// A search parameter this simulation does not know fails the test rather than being ignored.
/// </summary>
internal static class EhrPrefetch
{
    public const string Base = "https://ehr.example.org/fhir";

    private const string PatientToken = "{{context.patientId}}";

    /// <summary>The prefetch object: one value per template, the Patient itself or a searchset Bundle.</summary>
    public static JsonObject Build(JsonObject bundle, string patientId, IEnumerable<KeyValuePair<string, string>> templates)
    {
        var server = Store(bundle);
        var prefetch = new JsonObject();
        foreach (var (key, template) in templates)
        {
            prefetch[key] = Run(server, template.Replace(PatientToken, patientId, StringComparison.Ordinal), patientId);
        }

        return prefetch;
    }

    /// <summary>Every resource of the prefetch (the Patient and the searchset entries), as one collection Bundle.</summary>
    public static JsonObject AsBundle(JsonObject prefetch)
    {
        var entries = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in prefetch)
        {
            var resources = value?["resourceType"]?.GetValue<string>() == "Bundle"
                ? (value["entry"] as JsonArray ?? []).Select(e => e?["resource"]).OfType<JsonObject>()
                : value is JsonObject single ? [single] : [];
            foreach (var resource in resources)
            {
                var key = Key(resource);
                if (seen.Add(key))
                {
                    entries.Add(new JsonObject { ["fullUrl"] = $"{Base}/{key}", ["resource"] = resource.DeepClone() });
                }
            }
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries };
    }

    private static List<JsonObject> Store(JsonObject bundle)
    {
        var entries = (bundle["entry"] as JsonArray ?? []).OfType<JsonObject>().Where(e => e["resource"] is JsonObject).ToList();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var stored = new List<JsonObject>();
        for (var i = 0; i < entries.Count; i++)
        {
            var resource = (JsonObject)entries[i]["resource"]!.DeepClone();
            var fullUrl = entries[i]["fullUrl"]?.GetValue<string>();
            var id = resource["id"]?.GetValue<string>()
                     ?? (fullUrl is not null && fullUrl.StartsWith("urn:uuid:", StringComparison.Ordinal) ? fullUrl["urn:uuid:".Length..] : $"r{i}");
            resource["id"] = id;
            if (fullUrl is not null)
            {
                aliases[fullUrl] = Key(resource);
            }

            stored.Add(resource);
        }

        foreach (var resource in stored)
        {
            Rewrite(resource, aliases);
        }

        return stored;
    }

    // A server keeps references as Type/id: bundle-local and absolute ones are rewritten, contained (#id) ones kept.
    private static void Rewrite(JsonNode? node, Dictionary<string, string> aliases)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["reference"] is JsonValue value && value.TryGetValue<string>(out var reference))
                {
                    obj["reference"] = aliases.TryGetValue(reference, out var key) ? key : Relative(reference);
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Rewrite(child, aliases);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Rewrite(child, aliases);
                }

                break;
        }
    }

    private static string Relative(string reference)
    {
        if (!reference.StartsWith("http://", StringComparison.Ordinal) && !reference.StartsWith("https://", StringComparison.Ordinal))
        {
            return reference;
        }

        var parts = reference.TrimEnd('/').Split('/');
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : reference;
    }

    private static JsonNode? Run(List<JsonObject> server, string query, string patientId)
    {
        var question = query.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            var resource = server.SingleOrDefault(r => Key(r) == query);
            Assert.True(resource is not null, $"the record holds no {query} for the prefetch query '{query}'");
            return resource!.DeepClone();
        }

        var type = query[..question];
        var matches = server.Where(r => r["resourceType"]?.GetValue<string>() == type).ToList();
        var includes = new List<JsonObject>();
        foreach (var parameter in query[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = parameter.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                ? (parameter[..eq], Uri.UnescapeDataString(parameter[(eq + 1)..]))
                : (parameter, "");
            switch (name)
            {
                case "patient" or "subject":
                    var patient = value.Contains('/', StringComparison.Ordinal) ? value : $"Patient/{value}";
                    matches = matches.Where(r => (r["subject"] ?? r["patient"])?["reference"]?.GetValue<string>() == patient).ToList();
                    break;
                case "code":
                    var tokens = value.Split(',');
                    matches = matches.Where(r => (r["code"]?["coding"] as JsonArray ?? []).Any(c => tokens.Any(t => Matches(t, c)))).ToList();
                    break;
                case "category":
                    // A token without a system matches the code in any system (FHIR search, token parameters).
                    var categories = value.Split(',');
                    matches = matches.Where(r => (r["category"] as JsonArray ?? []).SelectMany(c => c?["coding"] as JsonArray ?? [])
                        .Any(c => categories.Any(t => Matches(t, c)))).ToList();
                    break;
                case "status":
                    var statuses = value.Split(',');
                    matches = matches.Where(r => statuses.Contains(r["status"]?.GetValue<string>())).ToList();
                    break;
                case "_include":
                    includes.AddRange(Included(server, matches, value, query));
                    break;
                case "_count" or "_sort" or "_total":
                    break;
                default:
                    Assert.Fail($"the corpus harness does not know the search parameter '{name}' of the prefetch query '{query}': teach EhrPrefetch before trusting the CDS Hooks cases");
                    break;
            }
        }

        var entries = new JsonArray();
        foreach (var (resource, mode) in matches.Select(m => (m, "match")).Concat(includes.Distinct().Select(i => (i, "include"))))
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = $"{Base}/{Key(resource)}",
                ["resource"] = resource.DeepClone(),
                ["search"] = new JsonObject { ["mode"] = mode },
            });
        }

        var searchset = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = matches.Count,
            ["link"] = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = $"{Base}/{query}" }),
        };
        if (entries.Count > 0)
        {
            // FHIR JSON has no empty arrays: an empty result has no entry element.
            searchset["entry"] = entries;
        }

        return searchset;
    }

    // _include=MedicationRequest:medication (and the same for administrations and statements): the referenced Medication.
    private static IEnumerable<JsonObject> Included(List<JsonObject> server, List<JsonObject> matches, string include, string query)
    {
        var parts = include.Split(':');
        Assert.True(parts is [_, "medication"], $"the corpus harness only knows _include=<Type>:medication, not '{include}' in '{query}'");
        foreach (var match in matches)
        {
            if (match["medicationReference"]?["reference"]?.GetValue<string>() is { } reference && !reference.StartsWith('#'))
            {
                if (server.FirstOrDefault(r => Key(r) == reference) is { } medication)
                {
                    yield return medication;
                }
            }
        }
    }

    private static bool Matches(string token, JsonNode? coding)
    {
        var system = coding?["system"]?.GetValue<string>();
        var code = coding?["code"]?.GetValue<string>();
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return code == token;
        }

        var tokenSystem = token[..bar];
        var tokenCode = token[(bar + 1)..];
        return (tokenSystem.Length == 0 || tokenSystem == system) && (tokenCode.Length == 0 || tokenCode == code);
    }

    private static string Key(JsonObject resource) => $"{resource["resourceType"]!.GetValue<string>()}/{resource["id"]!.GetValue<string>()}";
}
