namespace Herald.Benchmarks;

/// <summary>The patients the benchmarks decide for, as the native patient JSON (docs/patient-input.md).</summary>
internal static class PatientInputs
{
    /// <summary>The baseline: de novo metastatic disease, no treatment yet; the first line is decided.</summary>
    public const string FirstLineDeNovo = """
        {
          "id": "bench-first-line-de-novo",
          "assessmentDate": "2026-03-02",
          "age": 58,
          "sex": "female",
          "menopausalStatus": "postmenopausal",
          "receptors": {
            "her2": { "ihc": "3+", "specimen": "metastasis", "date": "2026-02-16" },
            "er": "positive",
            "pr": "negative"
          },
          "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2026-02-16" },
          "disease": { "sites": ["bone", "liver"], "burden": "moderate", "symptomatic": true },
          "ecog": 1,
          "lvef": { "percent": 61, "date": "2026-02-23" },
          "canTakeOralDrugs": true
        }
        """;

    /// <summary>
    /// The goal case: three metastatic lines, each ended by progression (pertuzumab + trastuzumab +
    /// docetaxel; trastuzumab emtansine; tucatinib + trastuzumab + capecitabine); HR-negative; LVEF
    /// recorded; liver and lung metastases. The fourth line is decided.
    /// </summary>
    public const string ThreePriorLines = """
        {
          "id": "bench-three-prior-lines",
          "assessmentDate": "2025-06-02",
          "age": 61,
          "sex": "female",
          "menopausalStatus": "postmenopausal",
          "receptors": {
            "her2": { "ihc": "3+", "specimen": "metastasis", "date": "2021-03-01" },
            "er": "negative",
            "pr": "negative"
          },
          "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2021-03-01" },
          "disease": { "sites": ["liver", "lung"], "burden": "moderate", "symptomatic": false, "extracranialStatus": "progressing" },
          "ecog": 1,
          "lvef": { "percent": 58, "date": "2025-05-20", "baselinePercent": 63, "baselineDate": "2021-03-10" },
          "canTakeOralDrugs": true,
          "metastaticRegimens": [
            { "agents": ["pertuzumab", "trastuzumab", "docetaxel"], "start": "2021-03-15", "stop": "2022-09-05", "bestResponse": "partial-response", "stopReason": "progression", "progressionAtFirstAssessment": false, "taxaneStopped": "2021-08-30" },
            { "agents": ["trastuzumab emtansine"], "start": "2022-09-19", "stop": "2023-10-02", "bestResponse": "stable-disease", "stopReason": "progression", "progressionAtFirstAssessment": false },
            { "agents": ["tucatinib", "trastuzumab", "capecitabine"], "start": "2023-10-16", "stop": "2025-05-26", "bestResponse": "partial-response", "stopReason": "progression", "progressionAtFirstAssessment": false }
          ]
        }
        """;
}
