using System.Text.RegularExpressions;

namespace Herald.Core.Knowledge;

/// <summary>
/// Knowledge-base texts may name patient values in braces, e.g. "LVEF {lvef}% on {lvef-date}".
/// The compiler rejects unknown names; rendering fills them (see Decisions/DecisionText).
/// </summary>
public static partial class TextTemplate
{
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>
    {
        ["lvef"] = "the latest LVEF, in percent",
        ["lvef-date"] = "the date of the latest LVEF",
        ["lvef-baseline"] = "the baseline LVEF, in percent",
        ["lvef-drop"] = "the fall in LVEF from baseline, in percentage points",
        ["lvef-days"] = "days since the latest LVEF",
        ["lvef-threshold"] = "the LVEF threshold (parameter lvef-minimum-percent)",
        ["agents"] = "the agents the rule hit for this regimen (allergy, unavailable drug, ...)",
        ["lines"] = "the lines of therapy the rule refers to (e.g. the line progressed on)",
        ["age"] = "the patient's age",
        ["months-to-relapse"] = "months from finishing adjuvant trastuzumab to relapse",
        ["taxane-months"] = "months on the current taxane",
        ["brain-lesions"] = "the number of brain metastases",
        ["current-regimen"] = "the agents of the ongoing line",
        ["ecog"] = "the ECOG performance status",
        ["respiratory-symptoms"] = "the current respiratory symptoms and fever, each with when it began against the current regimen's start",
        ["recent-conjugates"] = "the anti-HER2 conjugates stopped within the lung-toxicity window, each with its stop date",
        ["lung-toxicity-window"] = "the lung-toxicity window after a conjugate, in months (parameter conjugate-lung-toxicity-window-months)",
        ["other-comorbidities"] = "the conditions recorded as free text, verbatim",
    };

    public static IEnumerable<string> NamesIn(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([a-z\-]+)\}")]
    public static partial Regex PlaceholderPattern();
}
