import { IdProperty } from '../shared/dto-rules';

export class PostParams {
  @IdProperty({ example: 'post-42' })
  postId!: string;
}
