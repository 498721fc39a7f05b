using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Fuzz;

/// <summary>
/// The valid requests the fuzzers mutate, from the shipped examples (examples/, examples/fhir/). Plain file reading and
/// literal routes only, so bench/fuzz's campaign compiles this file too.
/// </summary>
public static class FuzzSeeds
{
    /// <summary>Each POST endpoint with a valid body from the shipped examples; no fhirServer, so nothing leaves the machine.</summary>
    public static IReadOnlyList<(string Path, string MediaType, JsonNode Body)> Load(string repositoryRoot)
    {
        var examples = Path.Combine(repositoryRoot, "examples");
        var seeds = new List<(string, string, JsonNode)>();
        foreach (var file in Directory.GetFiles(examples, "*.json").Order(StringComparer.Ordinal))
        {
            var native = JsonNode.Parse(File.ReadAllText(file))!;
            seeds.Add(("/api/recommendations", "application/json", native));
            seeds.Add(("/api/comparison", "application/json", native));
        }

        foreach (var seedCase in new[] { "seed-case-1", "seed-case-2" })
        {
            var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "fhir", $"{seedCase}.bundle.json")))!;
            seeds.Add(("/api/recommendations", "application/fhir+json", bundle));
            seeds.Add(("/api/comparison", "application/fhir+json", bundle));
            seeds.Add(("/fhir/PlanDefinition/herald-her2-metastatic/$apply", "application/fhir+json", new JsonObject
            {
                ["resourceType"] = "Parameters",
                ["parameter"] = new JsonArray(
                    new JsonObject { ["name"] = "subject", ["valueReference"] = new JsonObject { ["reference"] = "Patient/" + seedCase } },
                    new JsonObject { ["name"] = "data", ["resource"] = bundle.DeepClone() }),
            }));

            var hook = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "fhir", $"{seedCase}.cds-hooks.json")))!.AsObject();
            hook.Remove("fhirServer");
            hook.Remove("fhirAuthorization");
            seeds.Add(("/cds-services/herald-patient-view", "application/json", hook));

            var orderSign = hook.DeepClone().AsObject();
            orderSign["hook"] = "order-sign";
            orderSign["context"]!["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "MedicationRequest",
                        ["id"] = "draft-1",
                        ["status"] = "draft",
                        ["intent"] = "order",
                        ["medicationCodeableConcept"] = new JsonObject
                        {
                            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "224905", ["display"] = "trastuzumab" }),
                        },
                        ["subject"] = new JsonObject { ["reference"] = "Patient/" + seedCase },
                    },
                }),
            };
            seeds.Add(("/cds-services/herald-order-sign", "application/json", orderSign));
        }

        seeds.Add(("/cds-services/herald-patient-view/feedback", "application/json", new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = Guid.Empty.ToString(),
                ["outcome"] = "accepted",
                ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = Guid.Empty.ToString() }),
                ["outcomeTimestamp"] = "2026-03-01T10:00:00Z",
            }),
        }));
        return seeds;
    }
}
