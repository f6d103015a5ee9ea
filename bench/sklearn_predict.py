"""scikit-learn's TF-IDF (1-2 grams) + logistic regression, fitted on pmpo's own training
phrases, timed predicting on the ads bench/sklearn-bench.js writes. Prints one JSON line.

Run by bench/sklearn-bench.js with Debian's /usr/bin/python3 (python3-sklearn), one thread.
"""
import csv
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def main(phrases_path, ads_path, seconds):
    with open(phrases_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r["phrase"] for r in rows]
    labels = [r["label"] for r in rows]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2))
    model = LogisticRegression(max_iter=1000)
    model.fit(vectorizer.fit_transform(texts), labels)
    with open(ads_path, encoding="utf-8") as f:
        ads = json.load(f)

    def rate(predict):
        predict()  # warm-up
        count = 0
        start = time.process_time()
        while time.process_time() - start < seconds:
            count += predict()
        return count / (time.process_time() - start)

    def batched():
        model.predict_proba(vectorizer.transform(ads))
        return len(ads)

    def one_by_one():
        for ad in ads:
            model.predict_proba(vectorizer.transform([ad]))
        return len(ads)

    print(json.dumps({"batched": rate(batched), "oneByOne": rate(one_by_one), "classes": list(model.classes_)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
