using System.Runtime.CompilerServices;
using Herald.Core.Knowledge;
using Herald.Fhir.Lines;

namespace Herald.Fhir.Medications;

/// <summary>
/// Names the knowledge-base agents a medication code stands for. In order of trust: an RxNorm ingredient
/// code (the agents of knowledge/agents.yaml), a brand or clinical-drug code of Terminology/medications.yaml
/// mapped to its ingredients, and, only when no code is known, the agent names in the text.
/// </summary>
public static class MedicationResolver
{
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    // The HL7 OID for RxNorm; some systems send it instead of the URL.
    private const string RxNormOid = "urn:oid:2.16.840.1.113883.6.88";

    private static readonly ConditionalWeakTable<KnowledgeBase, Dictionary<string, Agent>> IngredientCodes = new();

    public static AgentResolution Resolve(IReadOnlyList<CodedValue> codings, string? text, KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(codings);
        ArgumentNullException.ThrowIfNull(kb);

        var agents = new List<Agent>();
        var details = new List<string>();
        var unknownCodes = new List<string>();
        var anyIngredient = false;
        var ingredients = IngredientCodes.GetValue(kb, BuildIngredientIndex);

        foreach (var coding in codings)
        {
            var code = coding.Code?.Trim();
            if (!IsRxNorm(coding.System) || string.IsNullOrEmpty(code))
            {
                continue;
            }

            if (ingredients.TryGetValue(code, out var ingredient))
            {
                anyIngredient = true;
                AddOnce(agents, ingredient);
                details.Add($"RxNorm {code} (ingredient{ConfidenceSuffix(ingredient.RxNorm!.Confidence)}) → {ingredient.Name}");
                continue;
            }

            var product = MedicationCodeTable.Find(RxNormSystem, code);
            if (product is not null)
            {
                var productAgents = product.Ingredients.Select(id => kb.FindAgent(id)
                    ?? throw new InvalidOperationException($"medications.yaml: RxNorm {code} names '{id}', which is not a knowledge-base agent.")).ToList();
                productAgents.ForEach(a => AddOnce(agents, a));
                var kind = product.Kind == ProductKind.Brand ? "brand product" : "clinical drug";
                var confidence = product.Confidence == "high" ? "" : $", {product.Confidence} confidence";
                details.Add($"RxNorm {code} ({kind}{confidence}) → {string.Join(" + ", productAgents.Select(a => a.Name))}");
                continue;
            }

            unknownCodes.Add($"RxNorm {code}");
        }

        if (agents.Count > 0)
        {
            return new AgentResolution(
                agents.Select(a => a.Id).ToList(),
                anyIngredient ? AgentMatch.Ingredient : AgentMatch.Product,
                string.Join("; ", details));
        }

        var unknownPrefix = unknownCodes.Count > 0
            ? $"{string.Join(", ", unknownCodes)} not in the knowledge base or medications.yaml; "
            : "";
        var matcher = AgentTextMatcher.For(kb);
        foreach (var candidate in TextCandidates(text, codings))
        {
            var named = matcher.Match(candidate);
            if (named.Count > 0)
            {
                return new AgentResolution(
                    named.Select(a => a.Id).ToList(),
                    AgentMatch.Text,
                    $"{unknownPrefix}text '{candidate}' → {string.Join(" + ", named.Select(a => a.Name))}");
            }
        }

        return new AgentResolution([], AgentMatch.None, $"{unknownPrefix}no known code and no agent name in the text".TrimStart());
    }

    internal static bool IsRxNorm(string? system) =>
        system is not null
        && (string.Equals(system.Trim().TrimEnd('/'), RxNormSystem, StringComparison.OrdinalIgnoreCase)
            || string.Equals(system.Trim(), RxNormOid, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> TextCandidates(string? text, IReadOnlyList<CodedValue> codings)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            yield return text.Trim();
        }

        foreach (var coding in codings)
        {
            if (!string.IsNullOrWhiteSpace(coding.Display))
            {
                yield return coding.Display.Trim();
            }
        }
    }

    private static Dictionary<string, Agent> BuildIngredientIndex(KnowledgeBase kb)
    {
        var index = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var agent in kb.Agents)
        {
            if (agent.RxNorm is { } rx && IsRxNorm(rx.System) && !string.IsNullOrEmpty(rx.Code))
            {
                index.TryAdd(rx.Code, agent);
            }
        }

        return index;
    }

    private static string ConfidenceSuffix(CodeConfidence confidence) =>
        confidence == CodeConfidence.High ? "" : $", {confidence.ToString().ToLowerInvariant()} confidence";

    private static void AddOnce(List<Agent> agents, Agent agent)
    {
        if (!agents.Contains(agent))
        {
            agents.Add(agent);
        }
    }
}
