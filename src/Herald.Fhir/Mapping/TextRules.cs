using System.Text.RegularExpressions;

namespace Herald.Fhir.Mapping;

/// <summary>
/// The last resort when a code is unknown: words in the text or display. Every match by text is reported
/// as a MappingNote so a clinician sees how the value was read. docs/fhir-mapping.md lists these rules.
/// </summary>
internal static partial class TextRules
{
    /// <summary>Metastatic sites by words, in this order (leptomeningeal before brain; pleura before lung).</summary>
    public static readonly IReadOnlyList<(string Site, string[] Words)> SiteWords =
    [
        ("leptomeningeal", ["leptomening", "cerebral meninges", "meningeal carcinomatosis"]),
        ("brain", ["brain", "cerebral", "cerebell", "intracranial"]),
        ("liver", ["liver", "hepatic"]),
        ("pleura", ["pleura"]),
        ("lung", ["lung", "pulmonary"]),
        ("peritoneum", ["peritone"]),
        ("adrenal", ["adrenal"]),
        ("bone", ["bone", "osseous", "skeletal", "vertebra"]),
        ("lymph-nodes", ["lymph node", "lymph nodes", "nodal"]),
        ("skin", ["skin", "cutaneous"]),
        ("chest-wall", ["chest wall"]),
        ("soft-tissue", ["soft tissue"]),
    ];

    public static string? Site(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        return SiteWords.FirstOrDefault(s => s.Words.Any(lower.Contains)).Site;
    }

    /// <summary>Comorbidities the safety rules use, by words, when a condition's code is unknown (first match wins).</summary>
    public static readonly IReadOnlyList<(string Comorbidity, string[] Words)> ComorbidityWords =
    [
        ("heart-failure", ["heart failure", "cardiac failure"]),
        ("interstitial-lung-disease", ["interstitial lung disease", "interstitial pulmonary disease", "pulmonary fibrosis", "interstitial pneumonitis"]),
        ("pneumonitis", ["pneumonitis"]),
        ("coronary-disease", ["coronary artery disease", "coronary heart disease", "ischemic heart disease", "ischaemic heart disease", "myocardial infarction", "angina"]),
        ("diabetes", ["diabetes mellitus", "type 1 diabetes", "type 2 diabetes", "type i diabetes", "type ii diabetes", "diabetic"]),
    ];

    [GeneratedRegex(@"^\s*(?:ecog(?:\s+performance\s+status)?\s*[:=]?\s*)?([0-4])(?![0-9.])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EcogPattern();

    /// <summary>An ECOG grade written as text: "1", "1 - Restricted in physically strenuous activity", "ECOG 2".</summary>
    public static int? Ecog(string? text) =>
        text is not null && EcogPattern().Match(text) is { Success: true } m ? m.Groups[1].Value[0] - '0' : null;

    public static string? Comorbidity(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant().Trim();
        return lower == "diabetes" ? "diabetes" : ComorbidityWords.FirstOrDefault(c => c.Words.Any(lower.Contains)).Comorbidity;
    }

    /// <summary>Words that mark a condition as a metastasis when its code is unknown.</summary>
    public static bool SaysSecondary(string? text) =>
        text is not null && (text.Contains("secondary malignant", StringComparison.OrdinalIgnoreCase)
            || text.Contains("metasta", StringComparison.OrdinalIgnoreCase));

    public static bool SaysBreastCancer(string? text) =>
        text is not null && text.Contains("breast", StringComparison.OrdinalIgnoreCase)
            && (text.Contains("cancer", StringComparison.OrdinalIgnoreCase) || text.Contains("carcinoma", StringComparison.OrdinalIgnoreCase)
                || text.Contains("malignant neoplasm", StringComparison.OrdinalIgnoreCase))
            && !SaysSecondary(text);

    /// <summary>positive / negative from a result text; null when it says neither or both.</summary>
    public static string? PositiveNegative(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var negative = lower.Contains("negative") || lower.Trim() is "neg" or "-";
        var positive = lower.Contains("positive") || lower.Trim() is "pos" or "+";
        return positive == negative ? null : positive ? "positive" : "negative";
    }

    [GeneratedRegex(@"(?<![\d.])([0-3])\s*\+", RegexOptions.CultureInvariant)]
    private static partial Regex IhcScorePattern();

    [GeneratedRegex(@"^\s*(ihc\s*)?0\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IhcZeroPattern();

    /// <summary>An IHC score written in text: "3+", "IHC 2+", "0".</summary>
    public static string? IhcScore(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = IhcScorePattern().Match(WithoutReceptorNames(text));
        if (match.Success)
        {
            return match.Groups[1].Value + "+";
        }

        return IhcZeroPattern().IsMatch(text) ? "0" : null;
    }

    // ---- Receptor results written as text ----

    [GeneratedRegex(@"her[\s-]?2(\s*/\s*neu)?|erbb[\s-]?2|c-erb-?b-?2|\bneu\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Her2NamePattern();

    [GeneratedRegex(@"(?i:o?estrogen\s+receptor)|^\s*ER\b|\bER\s*(status|receptor|\(?IHC\)?|expression)", RegexOptions.CultureInvariant)]
    private static partial Regex ErNamePattern();

    [GeneratedRegex(@"(?i:progesterone\s+receptor)|\bPgR\b|^\s*PR\b|\bPR\s*(status|receptor|\(?IHC\)?|expression)", RegexOptions.CultureInvariant)]
    private static partial Regex PrNamePattern();

    [GeneratedRegex(@"(?i:cep\s*-?17)", RegexOptions.CultureInvariant)]
    private static partial Regex Cep17Pattern();

    [GeneratedRegex(@"ratio[^0-9]{0,30}?(\d{1,2}(?:\.\d+)?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RatioPattern();

    [GeneratedRegex(@"(?:copy\s*number|copies|signals)[^0-9]{0,30}?(\d{1,3}(?:\.\d+)?)|(\d{1,3}(?:\.\d+)?)\s*(?:copies|signals)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CopyNumberPattern();

    /// <summary>
    /// A receptor test named only in words (a code Herald does not know, or text alone): which receptor, and how
    /// its value reads (ihc, ish, ratio, or an overall interpretation; er / pr). Null when it names none.
    /// </summary>
    public static (string Receptor, string Means)? ReceptorTest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (Her2NamePattern().IsMatch(name))
        {
            var lower = name.ToLowerInvariant();
            var means = lower.Contains("ratio") ? "ratio"
                : lower.Contains("fish") || Regex.IsMatch(lower, @"\b(ish|sish|cish|ddish)\b") || lower.Contains("in situ") ? "ish"
                : lower.Contains("ihc") || lower.Contains("immunohisto") || lower.Contains("immune stain") || lower.Contains("immunostain") ? "ihc"
                : "interpretation";
            return ("her2", means);
        }

        if (ErNamePattern().IsMatch(name))
        {
            return ("er", "er");
        }

        return PrNamePattern().IsMatch(name) ? ("pr", "pr") : null;
    }

    /// <summary>The text with receptor names (HER2, ERBB2, CEP17) blanked, so their digits are not read as results.</summary>
    public static string WithoutReceptorNames(string text) => Cep17Pattern().Replace(Her2NamePattern().Replace(text, " "), " ");

    /// <summary>"ratio 2.4", "HER2/CEP17 ratio: 2.4" → 2.4.</summary>
    public static decimal? Ratio(string? text) =>
        text is not null && RatioPattern().Match(WithoutReceptorNames(text)) is { Success: true } m
            && decimal.TryParse(m.Groups[1].Value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>"copy number 6.1", "6.1 copies per cell" → 6.1.</summary>
    public static decimal? CopyNumber(string? text)
    {
        if (text is null || CopyNumberPattern().Match(WithoutReceptorNames(text)) is not { Success: true } m)
        {
            return null;
        }

        var digits = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        return decimal.TryParse(digits, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>amplified / not-amplified / equivocal from an ISH result text.</summary>
    public static string? IshResult(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (lower.Contains("not amplified") || lower.Contains("non-amplified") || lower.Contains("nonamplified")
            || lower.Contains("non amplified") || lower.Contains("no amplification"))
        {
            return "not-amplified";
        }

        if (lower.Contains("equivocal"))
        {
            return "equivocal";
        }

        return lower.Contains("amplified") || lower.Contains("amplification") ? "amplified" : null;
    }

    /// <summary>A disease trend from text (mCODE cancer disease status given only as text).</summary>
    public static string? DiseaseTrend(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (lower.Contains("progress") || lower.Contains("worse"))
        {
            return "progressing";
        }

        if (lower.Contains("complete remission") || lower.Contains("full remission") || lower.Contains("no evidence of disease"))
        {
            return "not-detected";
        }

        if (lower.Contains("improv") || lower.Contains("respon") || lower.Contains("partial remission"))
        {
            return "responding";
        }

        return lower.Contains("stable") ? "stable" : null;
    }

    [GeneratedRegex(@"(?<![A-Za-z])[cpyr]{0,2}M1(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex M1Pattern();

    [GeneratedRegex(@"(?<![A-Za-z])[cpyr]{0,2}M0(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex M0Pattern();

    /// <summary>"m1" / "m0" from an AJCC M category written as text (cM1, pM1b, M0...).</summary>
    /// <summary>Pregnancy status by words: "not pregnant", "pregnant", "unknown".</summary>
    public static string? Pregnancy(string? text)
    {
        var lower = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(lower))
        {
            return null;
        }

        return lower.Contains("not pregnant") || lower.Contains("non-pregnant") ? "not-pregnant"
            : lower.Contains("pregnan") ? "pregnant"
            : lower is "unknown" or "unk" ? "unknown"
            : null;
    }

    public static string? MCategory(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : M1Pattern().IsMatch(text) ? "m1"
        : M0Pattern().IsMatch(text) ? "m0"
        : null;

    /// <summary>Breast cancer surgery by words (mastectomy, lumpectomy, excision of breast...).</summary>
    public static bool SaysBreastSurgery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        return lower.Contains("mastectomy") || lower.Contains("lumpectomy") || lower.Contains("breast-conserving surgery")
            || lower.Contains("breast conserving surgery") || (lower.Contains("excision") && lower.Contains("breast"));
    }

    /// <summary>A stop reason from text, when statusReason has no known code.</summary>
    public static string? StopReason(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (lower.Contains("progress"))
        {
            return "progression";
        }

        if (lower.Contains("toxicit") || lower.Contains("adverse") || lower.Contains("not tolerated") || lower.Contains("intoleran"))
        {
            return "toxicity";
        }

        if (lower.Contains("patient decision") || lower.Contains("patient choice") || lower.Contains("refus") || lower.Contains("declined"))
        {
            return "patient-decision";
        }

        return lower.Contains("complete") ? "completed" : null;
    }

    /// <summary>
    /// International Nonproprietary Name stems of antineoplastic drugs (WHO INN stem book): a drug whose
    /// name has one is plausibly anticancer, so an unresolved one is reported as unmapped.
    /// </summary>
    public static readonly IReadOnlyList<string> AntineoplasticStems =
    [
        "tuzumab", "ciclib", "tinib", "taxel", "platin", "rubicin", "trozole", "strant", "deruxtecan", "emtansine",
        "vedotin", "govitecan", "parib", "lisib", "mustine", "citabine", "fosfamide", "tecan", "mifene", "relin",
    ];

    public static bool LooksAntineoplastic(string? text) =>
        text is not null && AntineoplasticStems.Any(s => text.Contains(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>SNOMED CT semantic tags of things that are not diseases ("(finding)" in Synthea's displays).</summary>
    public static bool IsNonDisorderTag(string? display)
    {
        if (display is null)
        {
            return false;
        }

        var open = display.LastIndexOf('(');
        if (open < 0 || !display.TrimEnd().EndsWith(')'))
        {
            return false;
        }

        var tag = display[(open + 1)..display.LastIndexOf(')')].Trim().ToLowerInvariant();
        return tag is "finding" or "situation" or "procedure" or "event" or "person" or "regime/therapy" or "observable entity"
            or "social concept" or "qualifier value" or "environment" or "record artifact";
    }

    public static string StripTag(string display)
    {
        var open = display.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && display.TrimEnd().EndsWith(')') ? display[..open].Trim() : display.Trim();
    }
}
