"""Status summary of the SPASER for officials, the lead and contributors: data, card, chart, exports."""
