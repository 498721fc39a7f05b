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

        // A denied site ("no brain involvement") is not the site; one said both ways is kept (it may be there).
        var lower = text.ToLowerInvariant();
        return SiteWords.FirstOrDefault(s => s.Words.Any(lower.Contains) && TextFinding.Read(lower, uncertainIsUnknown: false, s.Words) != Polarity.Negated).Site;
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

        // A denied disease ("no heart failure", "non-diabetic") is not a comorbidity; a possible one is kept (the safety rules err safe).
        var lower = text.ToLowerInvariant().Trim();
        return lower == "diabetes" ? "diabetes"
            : ComorbidityWords.FirstOrDefault(c => c.Words.Any(lower.Contains) && TextFinding.Read(lower, uncertainIsUnknown: false, c.Words) != Polarity.Negated).Comorbidity;
    }

    /// <summary>Words that mark a condition as a metastasis when its code is unknown.</summary>
    public static bool SaysSecondary(string? text) =>
        text is not null && (text.Contains("secondary malignant", StringComparison.OrdinalIgnoreCase)
            || text.Contains("metasta", StringComparison.OrdinalIgnoreCase))
        && TextFinding.Read(text, uncertainIsUnknown: false, "secondary malignant", "metasta") != Polarity.Negated; // "no metastatic disease"

    public static bool SaysBreastCancer(string? text) =>
        text is not null && text.Contains("breast", StringComparison.OrdinalIgnoreCase)
            && (text.Contains("cancer", StringComparison.OrdinalIgnoreCase) || text.Contains("carcinoma", StringComparison.OrdinalIgnoreCase)
                || text.Contains("malignant neoplasm", StringComparison.OrdinalIgnoreCase))
            && !SaysSecondary(text);

    /// <summary>
    /// positive / negative from a result text; null when it says neither or both, when either word is negated
    /// ("not positive" is not read as negative: the laboratory's own word is asked for) or the text is uncertain.
    /// </summary>
    public static string? PositiveNegative(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed is "neg" or "-")
        {
            return "negative";
        }

        if (trimmed is "pos" or "+")
        {
            return "positive";
        }

        var positive = TextFinding.Read(text, "positive");
        var negative = TextFinding.Read(text, "negative");
        return (positive, negative) switch
        {
            (Polarity.Affirmed, Polarity.Absent) => "positive",
            (Polarity.Absent, Polarity.Affirmed) => "negative",
            _ => null,
        };
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

    /// <summary>
    /// amplified / not-amplified / equivocal from an ISH result text. Amplification denied ("negative for HER2 gene
    /// amplification", "amplification not detected", "unamplified") is not-amplified; said both ways, or with a word of
    /// uncertainty beside it, the text is not read (null).
    /// </summary>
    public static string? IshResult(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var amplification = TextFinding.Read(text, uncertainIsUnknown: false, "amplif");
        var equivocal = TextFinding.Read(text, uncertainIsUnknown: false, "equivocal");
        if (equivocal == Polarity.Affirmed)
        {
            return amplification == Polarity.Absent ? "equivocal" : null;
        }

        if (equivocal != Polarity.Absent || TextFinding.IsUncertain(text))
        {
            return null;
        }

        return amplification switch
        {
            Polarity.Affirmed => "amplified",
            Polarity.Negated => "not-amplified",
            _ => null,
        };
    }

    [GeneratedRegex(@"\bno evidence of (?:active |residual )?disease\b(?!\s*(?:progress|recurr|activity))|\b(?:complete|full) remission\b|^\s*ned\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex NoDiseasePattern();

    /// <summary>
    /// A disease trend from text (mCODE cancer disease status given only as text). A denied finding is not read
    /// ("no evidence of disease progression", "stable, no progression" is stable); a word of uncertainty gives null.
    /// </summary>
    public static string? DiseaseTrend(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || TextFinding.IsUncertain(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var progressing = TextFinding.Read(lower, "progress", "worse");
        var noDisease = NoDiseasePattern().IsMatch(lower);
        var responding = TextFinding.Read(lower, "improv", "respon", "partial remission");
        var stable = TextFinding.Read(lower, "stable", "unchanged");
        if (new[] { progressing, responding, stable }.Contains(Polarity.Uncertain))
        {
            return null;
        }

        return progressing == Polarity.Affirmed ? "progressing"
            : noDisease ? "not-detected"
            : responding == Polarity.Affirmed ? "responding"
            : stable == Polarity.Affirmed ? "stable"
            : null;
    }

    [GeneratedRegex(@"(?<![A-Za-z])[cpyr]{0,2}M1(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex M1Pattern();

    [GeneratedRegex(@"(?<![A-Za-z])[cpyr]{0,2}M0(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex M0Pattern();

    [GeneratedRegex(@"pregnancy\s+(?:status|state)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PregnancyNamePattern();

    /// <summary>
    /// Pregnancy status by words: "not pregnant", "pregnancy test negative" → not-pregnant; "pregnant" → pregnant;
    /// "unknown" → unknown. The name "pregnancy status" is not a finding; a denied and affirmed or uncertain text is
    /// unknown when it says unknown, else not read (null).
    /// </summary>
    public static string? Pregnancy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = PregnancyNamePattern().Replace(text.Trim().ToLowerInvariant(), " ");
        var saysUnknown = TextFinding.Read(lower, uncertainIsUnknown: false, "unknown", "unk", "undetermined", "not known") == Polarity.Affirmed;
        var pregnant = TextFinding.Read(lower, uncertainIsUnknown: false, "pregnan", "gravid");
        if (saysUnknown)
        {
            return pregnant == Polarity.Affirmed ? null : "unknown";
        }

        if (TextFinding.IsUncertain(lower))
        {
            return null;
        }

        return pregnant switch
        {
            Polarity.Affirmed => "pregnant",
            Polarity.Negated => "not-pregnant",
            _ => null,
        };
    }

    /// <summary>"m1" / "m0" from an AJCC M category written as text (cM1, pM1b, M0...).</summary>
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

    [GeneratedRegex(@"\b(?:not|poorly|badly)\s+tolerated\b", RegexOptions.CultureInvariant)]
    private static partial Regex NotToleratedPattern();

    /// <summary>
    /// A stop reason from text, when statusReason has no known code. A denied finding is not a reason ("no
    /// progression, stopped for neuropathy" is not progression); a word of uncertainty gives null.
    /// </summary>
    public static string? StopReason(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || TextFinding.IsUncertain(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (TextFinding.Read(lower, "progress") == Polarity.Affirmed)
        {
            return "progression";
        }

        if (ToxicityKind(lower) is not null || NotToleratedPattern().IsMatch(lower)
            || TextFinding.Read(lower, "toxicit", "adverse", "intoleran", "side effect", "side-effect") == Polarity.Affirmed)
        {
            return "toxicity";
        }

        if (TextFinding.Read(lower, "patient decision", "patient choice", "patient request", "refus", "declined", "patient wish") == Polarity.Affirmed)
        {
            return "patient-decision";
        }

        return TextFinding.Read(lower, "complet") == Polarity.Affirmed ? "completed" : null;
    }

    /// <summary>Toxicity kinds by words (native metastaticRegimens[].toxicity), most restrictive first.</summary>
    public static readonly IReadOnlyList<(string Kind, string[] Words)> ToxicityWords =
    [
        // Hypersensitivity to trastuzumab rules out T-DM1 and T-DXd (docs/patient-input.md): it wins over the others.
        ("infusion-reaction", ["infusion reaction", "infusion-related reaction", "infusion related reaction", "infusion-related",
            "anaphyla", "hypersensitiv", "allergic reaction", "allergy", "allergic"]),
        // Lung toxicity has no kind of its own; "other" keeps trastuzumab from the cardiac rechallenge rule.
        ("other", ["pneumonitis", "interstitial lung disease", "ild", "pulmonary fibrosis"]),
        ("cardiac", ["cardiotox", "cardiac tox", "lvef", "ejection fraction", "heart failure", "cardiac failure",
            "cardiomyopathy", "cardiac dysfunction"]),
    ];

    private static readonly string[][] ToxicityStems = [.. ToxicityWords.Select(k => k.Words)];

    /// <summary>
    /// The kind of a toxicity stop by words: infusion-reaction (or hypersensitivity), cardiac, or other for lung
    /// toxicity; null when no kind is named or every mention is denied. Several kinds: the most restrictive.
    /// </summary>
    public static string? ToxicityKind(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (!ToxicityStems.Any(stems => TextFinding.Names(lower, stems)) || TextFinding.IsUncertain(text))
        {
            return null; // no kind named (most stop reasons and codings): no need to read the text for uncertainty
        }

        return ToxicityWords.FirstOrDefault(k => TextFinding.Read(text, k.Words) == Polarity.Affirmed).Kind;
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
