#!/usr/bin/env python3
"""Fills the English plural forms in a plural-only .ts file: "(s)" -> "" / "s", "(y/ies)" -> "y" / "ies"."""
import re
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
tree = ET.parse(path)
for message in tree.getroot().iter('message'):
    if message.get('numerus') != 'yes':
        continue
    source = message.find('source').text or ''
    translation = message.find('translation')
    for child in list(translation):
        translation.remove(child)
    translation.attrib.pop('type', None)
    translation.text = None
    # "(s)": "" or "s"; "(y/ies)": "y" or "ies".
    singular = re.sub(r'\((\w*)/(\w+)\)', r'\1', source.replace('(s)', ''))
    plural = re.sub(r'\((\w*)/(\w+)\)', r'\2', source.replace('(s)', 's'))
    for form in (singular, plural):
        nf = ET.SubElement(translation, 'numerusform')
        nf.text = form
tree.write(path, encoding='utf-8', xml_declaration=True)
with open(path, 'r+', encoding='utf-8') as f:
    text = f.read()
    if '<!DOCTYPE TS>' not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
    f.seek(0)
    f.write(text)
    f.truncate()
