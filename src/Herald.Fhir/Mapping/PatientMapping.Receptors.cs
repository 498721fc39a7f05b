using System.Text.Json.Nodes;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

// Receptor results (HER2, ER, PR) as EHRs write them: a known test code or only words naming the test, a coded
// answer, a number, or a sentence ("HER2 (IHC): 2+, FISH amplified, ratio 2.4"), on the observation or on one of
// its components (pathology panels). Whatever looks like a receptor result but cannot be read is reported as
// unmapped, so the request for missing data can say it was found.
internal sealed partial class PatientMapping
{
    /// <summary>One receptor result: the test (receptor and how its value reads) and the value, with where it was found.</summary>
    private sealed record ReceptorResult(
        string Receptor,
        string Means,
        Stored<Observation> Stored,
        DateOnly Date,
        string Element,
        CodeableConcept? Concept,
        Quantity? Quantity,
        int? Integer,
        string? Text,
        IReadOnlyList<CodeableConcept> Interpretation);

    private sealed record Her2Part(string? Ihc, string? Ish, decimal? Ratio, decimal? Copies, string? Status)
    {
        public bool Interprets => Ihc is not null || Ish is not null || Status is not null;
    }

    private JsonObject ReadReceptors(List<Stored<Observation>> observations)
    {
        var results = ReceptorResults(observations).OrderByDescending(r => r.Date).ThenBy(r => r.Stored.Key, StringComparer.Ordinal).ToList();
        var receptors = new JsonObject();
        if (ReadHer2(results.Where(r => r.Receptor == "her2").ToList()) is { } her2)
        {
            receptors["her2"] = her2;
        }

        foreach (var field in new[] { "er", "pr" })
        {
            foreach (var result in results.Where(r => r.Receptor == field))
            {
                if (PositiveNegative(result) is { } value)
                {
                    receptors[field] = value;
                    break;
                }
            }
        }

        return receptors;
    }

    /// <summary>Every receptor result, from observations and their components, by code or else by the test's name.</summary>
    private IEnumerable<ReceptorResult> ReceptorResults(List<Stored<Observation>> observations)
    {
        foreach (var stored in observations)
        {
            var o = stored.Resource;
            var date = ObservationDate(o)!.Value;
            if (ReceptorTest(stored, o.Code, "code") is { } test)
            {
                yield return new ReceptorResult(test.Receptor, test.Means, stored, date, "value", o.ValueCodeableConcept, o.ValueQuantity,
                    o.ValueInteger, o.ValueString, o.Interpretation ?? []);
            }

            for (var i = 0; i < (o.Component?.Count ?? 0); i++)
            {
                if (o.Component![i] is not { } component || ReceptorTest(stored, component.Code, $"component[{i}].code") is not { } part)
                {
                    continue;
                }

                yield return new ReceptorResult(part.Receptor, part.Means, stored, date, $"component[{i}].value", component.ValueCodeableConcept,
                    component.ValueQuantity, component.ValueInteger, component.ValueString, component.Interpretation ?? []);
            }
        }
    }

    private (string Receptor, string Means)? ReceptorTest(Stored<Observation> stored, CodeableConcept? code, string element)
    {
        var codes = Coded.Values(code);
        foreach (var (kind, receptor) in new[] { ("her2-test", "her2"), ("er-test", "er"), ("pr-test", "pr") })
        {
            if (table.Find(kind, codes) is { } row)
            {
                return (receptor, row.Means);
            }
        }

        // A code of another concept Herald reads (LVEF, ECOG, disease status...) is not a receptor test, whatever its words.
        if (codes.Any(c => table.Rows.Any(r => r.System == c.System && r.Code == c.Code)))
        {
            return null;
        }

        var name = code?.Label ?? code?.Coding?.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        if (TextRules.ReceptorTest(name) is not { } byName)
        {
            return null;
        }

        notes.Add(new MappingNote($"receptors.{byName.Receptor}", $"'{name}' read as a {Describe(byName)} test by its name.", element == "code" ? stored.Key : $"{stored.Key}.{element[..element.LastIndexOf('.')]}"));
        return byName;

        static string Describe((string Receptor, string Means) test) => test switch
        {
            ("her2", "ihc") => "HER2 IHC",
            ("her2", "ish") => "HER2 ISH",
            ("her2", "ratio") => "HER2/CEP17 ratio",
            ("her2", _) => "HER2",
            ("er", _) => "ER",
            _ => "PR",
        };
    }

    // ---- HER2 ----

    private JsonObject? ReadHer2(List<ReceptorResult> results)
    {
        var parts = new List<(ReceptorResult Result, Her2Part Part)>();
        foreach (var result in results)
        {
            if (Her2Result(result) is { } part)
            {
                parts.Add((result, part));
            }
        }

        if (parts.Count == 0)
        {
            return Her2FromCondition();
        }

        // One work-up: the latest result and those within the work-up window before it (an IHC and its reflex ISH are
        // often resulted days apart). The latest value of each kind wins.
        var latest = parts[0].Result.Date;
        var window = (int)kb.Parameter("record-her2-workup-days").Value;
        var workup = parts.Where(p => p.Result.Date >= latest.AddDays(-window)).ToList();
        var her2 = new JsonObject();
        if (workup.Select(p => p.Part.Ihc).FirstOrDefault(v => v is not null) is { } ihc)
        {
            her2["ihc"] = ihc;
        }

        if (workup.Select(p => p.Part.Ish).FirstOrDefault(v => v is not null) is { } ish)
        {
            her2["ish"] = ish;
        }

        if (workup.Select(p => p.Part.Ratio).FirstOrDefault(v => v is not null) is { } ratio)
        {
            her2["ishRatio"] = ratio;
        }

        if (workup.Select(p => p.Part.Copies).FirstOrDefault(v => v is not null) is { } copies)
        {
            her2["ishCopyNumber"] = copies;
        }

        if (workup.Select(p => p.Part.Status).FirstOrDefault(v => v is not null) is { } status)
        {
            her2["status"] = status;
        }

        if (workup.Select(p => Specimen(p.Result.Stored)).FirstOrDefault(s => s is not null) is { } specimen)
        {
            her2["specimen"] = specimen;
        }

        her2["date"] = Format(latest);
        if (workup.Count > 1 && workup.Select(p => p.Result.Date).Distinct().Count() > 1)
        {
            notes.Add(new MappingNote("receptors.her2",
                $"HER2 results from {Format(workup[^1].Result.Date)} to {Format(latest)} read together as one work-up (within {window} days: parameter record-her2-workup-days).",
                string.Join(", ", workup.Select(p => p.Result.Stored.Key).Distinct())));
        }

        if (!workup.Any(p => p.Part.Interprets))
        {
            // A ratio or a copy number alone: Herald does not interpret ISH numbers itself; the laboratory's reading is asked for.
            var numbers = string.Join(", ", new[]
            {
                her2["ishRatio"] is { } r ? $"ratio {r}" : null,
                her2["ishCopyNumber"] is { } c ? $"copy number {c}" : null,
            }.Where(x => x is not null));
            var first = workup[0].Result;
            unmapped.Add(new UnmappedCode(first.Stored.Key, first.Element, "HER2 result", null, null,
                $"ISH {numbers} without an interpretation (amplified or not amplified)"));
        }

        return her2;
    }

    private Her2Part? Her2Result(ReceptorResult result)
    {
        var key = result.Stored.Key;
        var means = result.Means;
        string? ihc = null, ish = null, status = null;
        decimal? ratio = null, copies = null;

        if (table.Find("answer", Coded.Values(result.Concept)) is { } answer)
        {
            // A coded positive on an ISH test is an amplified result; on any other HER2 test it is the interpretation.
            if (means == "ish")
            {
                ish = answer.Means == "positive" ? "amplified" : "not-amplified";
            }
            else
            {
                status = answer.Means;
            }
        }

        if (result.Quantity is { } quantity)
        {
            if (means is "ratio" or "ish")
            {
                if (quantity.Value is { } r && r > 0 && r <= 50 && quantity.Comparator is null)
                {
                    ratio = r;
                }
                else
                {
                    unmapped.Add(Coded.UnmappedText(key, result.Element, "HER2 ratio", DescribeQuantity(quantity)));
                    return null;
                }
            }
            else if (means == "ihc" && IntegralQuantity(quantity) is { } q)
            {
                ihc = IhcWord(q, result, key);
                if (ihc is null)
                {
                    return null;
                }
            }
        }

        if (means == "ihc" && result.Integer is { } score)
        {
            ihc = IhcWord(score, result, key);
            if (ihc is null)
            {
                return null;
            }
        }

        var text = result.Text ?? (status is null && ish is null ? result.Concept?.Label : null);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var read = new List<string>(4);
            if (means != "ish" && TextRules.IhcScore(text) is { } byText)
            {
                ihc ??= byText;
                read.Add($"IHC {byText}");
            }

            // "Equivocal" on an IHC result is the IHC 2+ category, not an ISH finding.
            if (means != "ihc" && TextRules.IshResult(text) is { } ishText)
            {
                ish ??= ishText;
                read.Add($"ISH {ishText}");
            }

            if (TextRules.Ratio(text) is { } ratioText && ratioText > 0 && ratioText <= 50)
            {
                ratio ??= ratioText;
                read.Add($"ratio {ratioText.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (TextRules.CopyNumber(text) is { } copyText && copyText > 0 && copyText <= 100)
            {
                copies ??= copyText;
                read.Add($"copy number {copyText.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            var word = TextRules.PositiveNegative(text) ?? (text.Contains("equivocal", StringComparison.OrdinalIgnoreCase) ? "equivocal" : null);
            if (word is not null && ish is null)
            {
                if (means == "ish" && word != "equivocal")
                {
                    ish = word == "positive" ? "amplified" : "not-amplified";
                    read.Add($"ISH {ish}");
                }
                else if (means == "ish")
                {
                    ish = "equivocal";
                    read.Add("ISH equivocal");
                }
                else
                {
                    status ??= word;
                    read.Add(word);
                }
            }

            if (read.Count > 0)
            {
                notes.Add(new MappingNote("receptors.her2", $"'{text}' read as {string.Join(", ", read)}.", Where(result)));
            }
        }

        if (ihc is null && ish is null && status is null && InterpretationCode(result) is { } interpreted)
        {
            status = interpreted;
            notes.Add(new MappingNote("receptors.her2.status", $"Read as {interpreted} from Observation.interpretation.", key));
        }

        if (ihc is null && ish is null && status is null && ratio is null && copies is null)
        {
            unmapped.Add(result.Concept is { Coding.Count: > 0 }
                ? Coded.Unmapped(key, result.Element, "HER2 result", result.Concept)
                : Coded.UnmappedText(key, result.Element, "HER2 result", DescribeResult(result)));
            return null;
        }

        return new Her2Part(ihc, ish, ratio, copies, status);
    }

    private string? IhcWord(int score, ReceptorResult result, string key)
    {
        if (score is >= 0 and <= 3)
        {
            return score == 0 ? "0" : $"{score}+";
        }

        unmapped.Add(Coded.UnmappedText(key, result.Element, "HER2 IHC score", score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return null;
    }

    /// <summary>HER2-positive (or -negative) carcinoma as the primary's code, when no test result is given.</summary>
    private JsonObject? Her2FromCondition()
    {
        var coded = primaries.FirstOrDefault(p => p.Site is "her2-positive" or "her2-negative");
        if (coded is null)
        {
            return null;
        }

        var status = coded.Site == "her2-positive" ? "positive" : "negative";
        notes.Add(new MappingNote("receptors.her2.status", $"No HER2 test result: status {status} from the diagnosis code of the primary cancer.", coded.Key));
        var her2 = new JsonObject { ["status"] = status };
        if (coded.Onset is { } onset)
        {
            her2["date"] = Format(onset);
        }

        return her2;
    }

    // ---- ER and PR ----

    private string? PositiveNegative(ReceptorResult result)
    {
        var field = result.Receptor;
        var concept = $"{field.ToUpperInvariant()} result";
        if (table.Find("answer", Coded.Values(result.Concept)) is { } row)
        {
            return row.Means;
        }

        var text = result.Text ?? result.Concept?.Label;
        if (TextRules.PositiveNegative(text) is { } byText)
        {
            notes.Add(new MappingNote($"receptors.{field}", $"'{text}' read as {byText} by its text.", Where(result)));
            return byText;
        }

        if (InterpretationCode(result) is { } interpreted)
        {
            notes.Add(new MappingNote($"receptors.{field}", $"Read as {interpreted} from Observation.interpretation.", result.Stored.Key));
            return interpreted;
        }

        // A percentage or score is not interpreted: the laboratory's positive/negative is asked for.
        unmapped.Add(result.Concept is { Coding.Count: > 0 }
            ? Coded.Unmapped(result.Stored.Key, result.Element, concept, result.Concept)
            : Coded.UnmappedText(result.Stored.Key, result.Element, concept, DescribeResult(result)));
        return null;
    }

    /// <summary>positive / negative from Observation.interpretation (HL7 v3 ObservationInterpretation POS / NEG).</summary>
    private string? InterpretationCode(ReceptorResult result) =>
        result.Interpretation.Select(i => table.Find("result-interpretation", Coded.Values(i))?.Means).FirstOrDefault(m => m is not null);

    /// <summary>The tested specimen from Observation.bodySite: the breast is the primary, a metastatic site a metastasis.</summary>
    private string? Specimen(Stored<Observation> stored)
    {
        var site = stored.Resource.BodySite;
        if (site is null)
        {
            return null;
        }

        if (site.Label is { } label && label.Contains("breast", StringComparison.OrdinalIgnoreCase))
        {
            return "primary";
        }

        return table.Find("metastatic-site", Coded.Values(site)) is not null || TextRules.Site(site.Label) is not null ? "metastasis" : null;
    }

    /// <summary>The resource a result came from, with the component when it was one.</summary>
    private static string Where(ReceptorResult result) =>
        result.Element == "value" ? result.Stored.Key : $"{result.Stored.Key}.{result.Element[..result.Element.LastIndexOf('.')]}";

    private static string? DescribeResult(ReceptorResult result) =>
        result.Quantity is { } q ? DescribeQuantity(q)
        : result.Integer is { } i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : result.Text ?? result.Concept?.Label ?? "(no value)";

    private static string DescribeQuantity(Quantity q) =>
        $"{q.Comparator}{(q.Value is { } v ? Invariant(v) : "?")} {q.Unit ?? q.Code}".Trim();
}
