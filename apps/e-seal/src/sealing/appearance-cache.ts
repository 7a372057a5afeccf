import { Injectable } from '@nestjs/common';
import { renderSealPdf, type SignatureAppearance } from '#pdf';
import type { SealEntity } from '../seals/seal.entity.js';

const MAX_ENTRIES = 256;

/**
 * The vector seal of each seal, drawn once per size and kept (a few tens of KB each): drawing
 * it (font subsetting, deflate) costs more than the signature itself. Keyed by the seal's
 * certificate too, so a re-made seal is drawn afresh.
 */
@Injectable()
export class SealAppearanceCache {
  private readonly drawn = new Map<string, Promise<Buffer>>();

  async appearanceOf(seal: SealEntity, size: number): Promise<SignatureAppearance> {
    const look = designOf(seal);
    if (look.kind !== 'seal') return look;
    const key = `${seal.id}:${seal.certificateSha256 ?? ''}:${size}`;
    let pdf = this.drawn.get(key);
    if (!pdf) {
      if (this.drawn.size >= MAX_ENTRIES) this.drawn.delete(this.drawn.keys().next().value!);
      pdf = renderSealPdf(look.seal, { width: size, height: size });
      this.drawn.set(key, pdf);
      pdf.catch(() => this.drawn.delete(key));
    }
    return { kind: 'pdf', pdf: await pdf };
  }
}

/** The uploaded PNG, or the standard round red seal drawn as vectors with a CJK font. */
export function designOf(seal: SealEntity): SignatureAppearance {
  if (seal.imagePng) return { kind: 'png', png: seal.imagePng };
  const below = seal.name.startsWith(seal.ownerName)
    ? seal.name.slice(seal.ownerName.length)
    : seal.name;
  return {
    kind: 'seal',
    seal: { organization: seal.ownerName, sealName: below || undefined, code: seal.code },
  };
}
